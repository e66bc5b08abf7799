import { useId, useState } from 'react';
import { type ExtraEndpoint, MAX_EXTRA_ENDPOINTS, useSettings } from '../../store/settings.ts';
import './endpoints.css';
import { useConnectionTest } from './useConnectionTest.ts';

/**
 * The API's rate limits and further endpoints (docs/scale-out.md): the leaves are spread over the first
 * endpoint and these, by weight and free room, and a run goes on when one of them goes away. Each has its
 * own key, kept like the first one: in this tab, or on this device when "remember" is ticked.
 */
export function EndpointsSection() {
  const api = useSettings((s) => s.api);
  const endpoints = useSettings((s) => s.endpoints);
  const setApi = useSettings((s) => s.setApi);
  const addEndpoint = useSettings((s) => s.addEndpoint);
  const [open] = useState(
    () => endpoints.length > 0 || api.requestsPerMinute !== undefined || api.tokensPerMinute !== undefined,
  );
  return (
    <details className="endpoints" open={open} data-testid="endpoints">
      <summary>
        Rate limits and more endpoints
        {endpoints.length > 0 && ` (${endpoints.length + 1} endpoints)`}
      </summary>
      <p className="endpoints__hint">
        The endpoint above, then each further one, may have limits per minute; leave one blank to learn it
        from the server's <code>x-ratelimit-*</code> headers. Either way a 429 is waited out, not counted as a
        failure. More endpoints share the leaves: other servers of a vLLM or SGLang fleet, or a second
        provider serving the same model.
      </p>
      <div className="field-row">
        <LimitField
          label="Requests per minute"
          value={api.requestsPerMinute}
          onChange={(v) => setApi({ requestsPerMinute: v })}
        />
        <LimitField
          label="Tokens per minute"
          value={api.tokensPerMinute}
          onChange={(v) => setApi({ tokensPerMinute: v })}
        />
      </div>
      {endpoints.map((e, i) => (
        <EndpointRow key={e.id} endpoint={e} n={i + 2} firstModel={api.model} />
      ))}
      <button type="button" onClick={addEndpoint} disabled={endpoints.length >= MAX_EXTRA_ENDPOINTS}>
        Add an endpoint
      </button>
    </details>
  );
}

function EndpointRow({
  endpoint: e,
  n,
  firstModel,
}: {
  endpoint: ExtraEndpoint;
  n: number;
  firstModel: string;
}) {
  const ids = { url: useId(), model: useId(), key: useId(), weight: useId(), conc: useId() };
  const key = useSettings((s) => s.endpointKeys[e.id] ?? '');
  const contextWindow = useSettings((s) => s.api.contextWindow);
  const setEndpoint = useSettings((s) => s.setEndpoint);
  const setEndpointKey = useSettings((s) => s.setEndpointKey);
  const removeEndpoint = useSettings((s) => s.removeEndpoint);
  const { testing, report, test: testConnection } = useConnectionTest();
  const model = e.model.trim() || firstModel.trim();
  const test = () =>
    testConnection({
      engine: 'openai',
      baseUrl: e.baseUrl,
      model,
      ...(key && { apiKey: key }),
      concurrency: e.concurrency,
      contextWindow,
      timeoutMs: 30_000,
    });

  return (
    <fieldset className="endpoint" data-testid={`endpoint-${n}`}>
      <legend>Endpoint {n}</legend>
      <div className="field-row">
        <div className="field endpoint__url">
          <label htmlFor={ids.url}>URL</label>
          <input
            id={ids.url}
            aria-label={`Endpoint ${n} URL`}
            type="url"
            inputMode="url"
            placeholder="http://gpu-2:8000/v1"
            value={e.baseUrl}
            onChange={(ev) => setEndpoint(e.id, { baseUrl: ev.target.value })}
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.model}>Model</label>
          <input
            id={ids.model}
            aria-label={`Endpoint ${n} model`}
            placeholder={firstModel.trim() || 'as above'}
            value={e.model}
            onChange={(ev) => setEndpoint(e.id, { model: ev.target.value })}
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.key}>Key</label>
          <input
            id={ids.key}
            aria-label={`Endpoint ${n} key`}
            type="password"
            autoComplete="off"
            placeholder="if it needs one"
            value={key}
            onChange={(ev) => setEndpointKey(e.id, ev.target.value)}
            spellCheck={false}
          />
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={ids.weight}>Weight</label>
          <input
            id={ids.weight}
            aria-label={`Endpoint ${n} weight`}
            type="number"
            min={0.1}
            step={0.1}
            value={e.weight}
            onChange={(ev) => {
              const w = Number(ev.target.value);
              if (Number.isFinite(w) && w > 0) setEndpoint(e.id, { weight: w });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.conc}>At once</label>
          <input
            id={ids.conc}
            aria-label={`Endpoint ${n} requests at once`}
            type="number"
            min={1}
            max={64}
            value={e.concurrency}
            onChange={(ev) => {
              const c = Number.parseInt(ev.target.value, 10);
              if (Number.isFinite(c)) setEndpoint(e.id, { concurrency: Math.min(64, Math.max(1, c)) });
            }}
          />
        </div>
        <LimitField
          label="Requests/min"
          name={`Endpoint ${n} requests per minute`}
          value={e.requestsPerMinute}
          onChange={(v) => setEndpoint(e.id, { requestsPerMinute: v })}
        />
        <LimitField
          label="Tokens/min"
          name={`Endpoint ${n} tokens per minute`}
          value={e.tokensPerMinute}
          onChange={(v) => setEndpoint(e.id, { tokensPerMinute: v })}
        />
      </div>
      <div className="endpoint__actions">
        <button type="button" onClick={test} disabled={testing || !e.baseUrl.trim() || !model}>
          {testing ? 'Testing…' : 'Test'}
        </button>
        <button type="button" onClick={() => removeEndpoint(e.id)} aria-label={`Remove endpoint ${n}`}>
          Remove
        </button>
      </div>
      {report && (
        <p role={report.ok ? 'status' : 'alert'} className={report.ok ? 'ok' : 'trouble'}>
          {report.message}
        </p>
      )}
    </fieldset>
  );
}

/** A limit per minute: a positive whole number, or blank for "learn it from the server". */
function LimitField({
  label,
  name,
  value,
  onChange,
}: {
  label: string;
  name?: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...(name && { 'aria-label': name })}
        type="number"
        min={1}
        placeholder="from the server"
        value={value ?? ''}
        onChange={(ev) => {
          const raw = ev.target.value.trim();
          const n = Number.parseInt(raw, 10);
          onChange(raw === '' || !Number.isFinite(n) || n < 1 ? undefined : n);
        }}
      />
    </div>
  );
}

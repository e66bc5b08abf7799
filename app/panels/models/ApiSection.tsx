import { useId } from 'react';
import { useSettings } from '../../store/settings.ts';
import { EndpointsSection } from './EndpointsSection.tsx';
import { useConnectionTest } from './useConnectionTest.ts';

/**
 * An OpenAI-compatible API: base URL, model, key, concurrency, context window, and a connection test.
 * The key field never echoes the key anywhere else on the page.
 */
export function ApiSection() {
  const ids = { url: useId(), model: useId(), key: useId(), remember: useId(), conc: useId(), ctx: useId() };
  const api = useSettings((s) => s.api);
  const apiKey = useSettings((s) => s.apiKey);
  const rememberKey = useSettings((s) => s.rememberKey);
  const setApi = useSettings((s) => s.setApi);
  const setApiKey = useSettings((s) => s.setApiKey);
  const setRememberKey = useSettings((s) => s.setRememberKey);
  const { testing, report, test: testConnection } = useConnectionTest();

  // The provider lives in the runtime worker (the page never loads it): the test talks to the very code
  // that will run the leaves.
  const test = () =>
    testConnection({
      engine: 'openai',
      baseUrl: api.baseUrl,
      model: api.model,
      ...(apiKey && { apiKey }),
      concurrency: api.concurrency,
      contextWindow: api.contextWindow,
      timeoutMs: 30_000,
    });

  return (
    <section aria-label="API" className="engine-section" data-testid="api-section">
      <div className="field">
        <label htmlFor={ids.url}>Base URL</label>
        <input
          id={ids.url}
          type="url"
          inputMode="url"
          placeholder="http://localhost:11434/v1"
          value={api.baseUrl}
          onChange={(e) => setApi({ baseUrl: e.target.value })}
          spellCheck={false}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.model}>Model</label>
        <input
          id={ids.model}
          placeholder="qwen3:4b"
          value={api.model}
          onChange={(e) => setApi({ model: e.target.value })}
          spellCheck={false}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.key}>API key</label>
        <input
          id={ids.key}
          type="password"
          autoComplete="off"
          placeholder="not needed for local servers"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          spellCheck={false}
        />
      </div>
      <label className="checkbox" htmlFor={ids.remember}>
        <input
          id={ids.remember}
          type="checkbox"
          checked={rememberKey}
          onChange={(e) => setRememberKey(e.target.checked)}
        />
        Remember the key on this device (otherwise it is forgotten when this tab closes)
      </label>
      <div className="field-row">
        <div className="field">
          <label htmlFor={ids.conc}>Concurrency (requests at once)</label>
          <input
            id={ids.conc}
            type="number"
            min={1}
            max={64}
            value={api.concurrency}
            onChange={(e) => setApi({ concurrency: clampInt(e.target.value, 1, 64, api.concurrency) })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.ctx}>Context window (tokens)</label>
          <input
            id={ids.ctx}
            type="number"
            min={512}
            step={512}
            value={api.contextWindow}
            onChange={(e) =>
              setApi({ contextWindow: clampInt(e.target.value, 512, 2_000_000, api.contextWindow) })
            }
          />
        </div>
      </div>
      <button
        type="button"
        onClick={test}
        disabled={testing || !api.baseUrl.trim() || !api.model.trim()}
        data-testid="api-test"
      >
        {testing ? 'Testing…' : 'Test connection'}
      </button>
      {report && (
        <p
          role={report.ok ? 'status' : 'alert'}
          className={report.ok ? 'ok' : 'trouble'}
          data-testid="api-report"
        >
          {report.message}
        </p>
      )}
      <EndpointsSection />
    </section>
  );
}

function clampInt(raw: string, min: number, max: number, fallback: number): number {
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

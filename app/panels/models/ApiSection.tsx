import { useId } from 'react';
import { useSettings } from '../../store/settings.ts';
import { ApiEndpointFields } from './ApiEndpointFields.tsx';
import { ConnectionReportView } from './ConnectionReportView.tsx';
import { EndpointsSection } from './EndpointsSection.tsx';
import { offerModels } from './offeredModels.ts';
import { useConnectionTest } from './useConnectionTest.ts';

/** An OpenAI-compatible API: where it is (`ApiEndpointFields`), concurrency, context window, a connection test. */
export function ApiSection() {
  const ids = { remember: useId(), conc: useId(), ctx: useId() };
  const api = useSettings((s) => s.api);
  const apiKey = useSettings((s) => s.apiKey);
  const rememberKey = useSettings((s) => s.rememberKey);
  const setApi = useSettings((s) => s.setApi);
  const setRememberKey = useSettings((s) => s.setRememberKey);
  const { testing, report, test: testConnection } = useConnectionTest();

  // The provider lives in the runtime worker (the page never loads it): the test talks to the very code
  // that will run the leaves.
  const test = async () => {
    const r = await testConnection({
      engine: 'openai',
      baseUrl: api.baseUrl,
      model: api.model,
      ...(apiKey && { apiKey }),
      concurrency: api.concurrency,
      contextWindow: api.contextWindow,
      timeoutMs: 30_000,
    });
    if (r && r.models.length > 0) offerModels(api.baseUrl, r.models);
  };

  return (
    <section aria-label="API" className="engine-section" data-testid="api-section">
      <ApiEndpointFields />
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
      <button type="button" onClick={test} disabled={testing || !api.baseUrl.trim()} data-testid="api-test">
        {testing ? 'Testing…' : 'Test connection'}
      </button>
      {report && <ConnectionReportView report={report} />}
      <EndpointsSection />
    </section>
  );
}

function clampInt(raw: string, min: number, max: number, fallback: number): number {
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

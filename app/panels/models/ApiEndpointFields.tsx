import { useId } from 'react';
import { useSettings } from '../../store/settings.ts';
import { fetchOfferedModels, useModelsOffered } from './offeredModels.ts';

/**
 * Where an OpenAI-compatible API is and which model to use: base URL, model (with the server's own models
 * offered once it has listed them) and key. Shared by the model settings and the Start tab. The key field
 * never echoes the key anywhere else on the page.
 */
export function ApiEndpointFields() {
  const ids = { url: useId(), model: useId(), models: useId(), key: useId() };
  const api = useSettings((s) => s.api);
  const apiKey = useSettings((s) => s.apiKey);
  const setApi = useSettings((s) => s.setApi);
  const setApiKey = useSettings((s) => s.setApiKey);
  const offered = useModelsOffered(api.baseUrl);
  return (
    <>
      <div className="field">
        <label htmlFor={ids.url}>Base URL</label>
        <input
          id={ids.url}
          type="url"
          inputMode="url"
          placeholder="http://localhost:11434/v1"
          value={api.baseUrl}
          onChange={(e) => setApi({ baseUrl: e.target.value })}
          onBlur={() => void fetchOfferedModels()}
          spellCheck={false}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.model}>Model</label>
        <input
          id={ids.model}
          placeholder="qwen3:4b"
          list={offered.length > 0 ? ids.models : undefined}
          value={api.model}
          onChange={(e) => setApi({ model: e.target.value })}
          spellCheck={false}
        />
        {offered.length > 0 && (
          <datalist id={ids.models} data-testid="offered-models">
            {offered.map((m) => (
              <option key={m.id} value={m.id} />
            ))}
          </datalist>
        )}
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
    </>
  );
}

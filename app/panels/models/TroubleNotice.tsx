import type { EngineTrouble } from '../../../workers/models/index.ts';
import { settingsStore } from '../../store/settings.ts';

/**
 * An engine failure in words, with the next steps as buttons. Using the API is offered whenever it
 * helps, since it runs everywhere.
 */
export function TroubleNotice({
  trouble,
  onRetry,
  smaller,
}: {
  trouble: EngineTrouble;
  onRetry?: () => void;
  smaller?: { label: string; choose: () => void };
}) {
  return (
    <div role="alert" className="trouble" data-testid="engine-trouble" data-code={trouble.code}>
      <p>{trouble.message}</p>
      <div className="trouble__actions">
        {trouble.next.includes('smaller-model') && smaller && (
          <button type="button" onClick={smaller.choose}>
            Use {smaller.label}
          </button>
        )}
        {trouble.next.includes('retry') && onRetry && (
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        )}
        {trouble.next.includes('cpu-only') && (
          <button type="button" onClick={() => settingsStore.getState().setGgufDevice('cpu')}>
            Run on the CPU instead
          </button>
        )}
        {trouble.next.includes('use-api') && (
          <button type="button" onClick={() => settingsStore.getState().setEngine('openai')}>
            Use an API instead
          </button>
        )}
      </div>
      <details>
        <summary>Details</summary>
        <p className="trouble__detail">{trouble.detail}</p>
      </details>
    </div>
  );
}

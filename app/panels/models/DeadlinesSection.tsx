/**
 * How long a leaf call may take (docs/evaluation.md, "Bounds"), for every engine: one attempt, all the
 * attempts of one call, and the longest Retry-After waited for. A field left empty takes the default.
 */
import { useId } from 'react';
import { DEADLINE_DEFAULTS } from '../../../workers/lang/index.ts';
import { type DeadlineSettings, MAX_DEADLINE_MS, useSettings } from '../../store/settings.ts';

const FIELDS: Array<{ field: keyof DeadlineSettings; label: string; placeholder: string; hint: string }> = [
  {
    field: 'attemptTimeoutMs',
    label: 'One attempt',
    placeholder: 'scaled',
    hint: 'From the request to the whole answer. Empty: scaled from the call’s max tokens and the engine’s pace (a CPU or software GPU is given longer).',
  },
  {
    field: 'leafTimeoutMs',
    label: 'One call, all attempts',
    placeholder: String(DEADLINE_DEFAULTS.leafTimeoutMs / 1000),
    hint: 'Retries and backoff included; waits a server asked for with Retry-After are not counted. 0: no limit.',
  },
  {
    field: 'retryAfterCapMs',
    label: 'Longest Retry-After',
    placeholder: String(DEADLINE_DEFAULTS.retryAfterCapMs / 1000),
    hint: 'A server that asks to wait longer fails the call, with what it asked, instead of holding the run.',
  },
];

export function DeadlinesSection() {
  const deadlines = useSettings((s) => s.deadlines);
  const setDeadlines = useSettings((s) => s.setDeadlines);
  const id = useId();
  const anySet = Object.keys(deadlines).length > 0;
  return (
    <details className="model-settings__deadlines" data-testid="deadlines">
      <summary>Deadlines{anySet ? ' (changed)' : ''}</summary>
      <p className="muted">
        Every model call ends in bounded time: a server that hangs, trickles or streams forever fails the call
        with a reason. Seconds; leave a field empty for its default.
      </p>
      {FIELDS.map(({ field, label, placeholder, hint }) => {
        const value = deadlines[field];
        return (
          <div key={field} className="field">
            <label htmlFor={`${id}-${field}`}>{label} (s)</label>
            <input
              id={`${id}-${field}`}
              type="number"
              min={0}
              max={MAX_DEADLINE_MS / 1000}
              step="any"
              inputMode="decimal"
              placeholder={placeholder}
              aria-describedby={`${id}-${field}-hint`}
              value={value === undefined ? '' : value / 1000}
              onChange={(e) => {
                const seconds = e.currentTarget.valueAsNumber;
                setDeadlines({
                  [field]:
                    e.currentTarget.value === '' || !Number.isFinite(seconds)
                      ? undefined
                      : Math.round(Math.min(Math.max(seconds, 0), MAX_DEADLINE_MS / 1000) * 1000),
                });
              }}
            />
            <p id={`${id}-${field}-hint`} className="muted">
              {hint}
            </p>
          </div>
        );
      })}
      {anySet && (
        <button
          type="button"
          onClick={() =>
            setDeadlines({
              attemptTimeoutMs: undefined,
              leafTimeoutMs: undefined,
              retryAfterCapMs: undefined,
            })
          }
        >
          Back to the defaults
        </button>
      )}
    </details>
  );
}

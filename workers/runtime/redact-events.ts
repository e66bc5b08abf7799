/**
 * An API key never reaches the run log, the page, stdout or stderr, whatever a model or a server echoes
 * (docs/models.md, "The API key"). The runtime knows the key it was given; everything a run sends out
 * passes through here first: every event of the log, and the outcome.
 *
 * Streamed text is the hard part: a key may arrive split over two deltas (`sk-ab` + `c123…`), and each
 * half alone matches nothing. So the end of each call's stream that could still be the start of a key is
 * held back and sent with the next delta (a few characters, only when they look like a key's beginning);
 * `leaf.done` carries the whole, redacted text anyway.
 */
import { MIN_SECRET_LENGTH, redactSecrets, type TraceEvent } from '../lang/index.ts';

export interface EventRedactor {
  event(event: TraceEvent): TraceEvent;
  value<T>(value: T): T;
}

const identity: EventRedactor = { event: (e) => e, value: (v) => v };

export function createRedactor(secrets: readonly (string | undefined)[]): EventRedactor {
  const list = [
    ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)),
  ];
  if (list.length === 0) return identity;
  const held = new Map<string, string>();
  const scrub = (text: string) => redactSecrets(text, list).value;
  /** Length of the longest end of `text` that is the beginning of a secret (and not a whole one). */
  const risky = (text: string) => {
    let best = 0;
    for (const secret of list) {
      for (let n = Math.min(secret.length - 1, text.length); n > best; n--) {
        if (text.endsWith(secret.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  };
  return {
    event(event) {
      if (event.type === 'leaf.delta') {
        // What may still become a key is held back before anything is replaced: replacing first would
        // redact a key's first characters alone and let the rest through in the next delta.
        const text = (held.get(event.callId) ?? '') + event.text;
        const keep = risky(text);
        if (keep > 0) held.set(event.callId, text.slice(text.length - keep));
        else held.delete(event.callId);
        return { ...event, text: scrub(text.slice(0, text.length - keep)) };
      }
      if (event.type === 'leaf.request' || event.type === 'leaf.done' || event.type === 'call.error')
        held.delete(event.callId);
      return redactSecrets(event, list).value;
    },
    value: (v) => redactSecrets(v, list).value,
  };
}

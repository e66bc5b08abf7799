/**
 * How a value appears in the run log's `call.done`: a one-line summary always, and the value itself only
 * when it is small. A Split's pieces of a 10 MB input are never copied into the log (the trace carries
 * their spans instead); a count, a short answer or a list of ids is.
 */
import { encodeValue, isAbsent } from '../nodes/absent.ts';
import type { Value } from '../nodes/node-spec.ts';

/** Values whose JSON would exceed this many characters are summarised only. */
export const MAX_LOGGED_VALUE_CHARS = 4000;
const PREVIEW_CHARS = 80;

function preview(text: string): string {
  const flat = text.length > PREVIEW_CHARS * 2 ? text.slice(0, PREVIEW_CHARS * 2) : text;
  const one = flat.replace(/\s+/g, ' ').trim();
  return one.length > PREVIEW_CHARS ? `${one.slice(0, PREVIEW_CHARS - 1)}…` : one;
}

/** JSON length if it is at most `limit`, or -1, without serialising a big value. */
function boundedSize(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') size += v.length + 2;
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) size += 6;
    else if (Array.isArray(v)) {
      size += 2 + v.length;
      for (let i = 0; i < v.length && size <= limit; i++) stack.push(v[i]);
    } else if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        size += k.length + 4;
        stack.push(x);
        if (size > limit) break;
      }
    }
    if (size > limit) return -1;
  }
  return size;
}

export function summarizeValue(value: Value | undefined): string {
  if (value === undefined) return 'nothing';
  if (isAbsent(value)) return 'absent (no answer here)';
  if (typeof value === 'string') return `"${preview(value)}" (${value.length} chars)`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) {
    const n = value.length;
    if (n === 0) return 'empty list';
    const first = summarizeValue(value[0] as Value);
    return `${n} item${n === 1 ? '' : 's'}: ${first.length > 60 ? `${first.slice(0, 59)}…` : first}${n > 1 ? ', …' : ''}`;
  }
  const entries = Object.entries(value);
  const shown = entries
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? '…' : String(v)}`)
    .join(', ');
  return `{${shown}${entries.length > 4 ? `, … ${entries.length - 4} more` : ''}}`;
}

/**
 * The `call.done` fields for a value: `summary`, `value` (in the log's encoding, `encodeValue`) when it is
 * small enough to log, and `absent: true` when the value is absent.
 */
export function loggedValue(value: Value | undefined): { summary: string; value?: unknown; absent?: true } {
  const summary = summarizeValue(value);
  if (value === undefined) return { summary };
  if (isAbsent(value)) return { summary, absent: true };
  return boundedSize(value, MAX_LOGGED_VALUE_CHARS) >= 0
    ? { summary, value: encodeValue(value) }
    : { summary };
}

/** What a run that found no answer says, in place of a result (the page, the CLI). */
export function noAnswerFound(piecesRead: number): string {
  return `no answer found (read ${piecesRead.toLocaleString('en')} piece${piecesRead === 1 ? '' : 's'})`;
}

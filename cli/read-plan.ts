import { readFileSync, statSync } from 'node:fs';
import { PLAN_FILE_LIMITS, readPlanJson } from '../workers/lang/index.ts';

export type ReadResult = { ok: true; json: unknown } | { ok: false; error: string };

/**
 * A plan file read by the same reader as the page's (workers/lang/format/plan-file.ts): the same limits,
 * and a BOM, UTF-16 or CRLF line endings read as what they are.
 */
export function readPlanFile(path: string): ReadResult {
  let bytes: Uint8Array;
  try {
    // A file far past the limit is refused by its size, not read into memory first.
    const size = statSync(path).size;
    if (size > PLAN_FILE_LIMITS.maxChars * 4) {
      return {
        ok: false,
        error: `${path} is not a plan: it is too large (${size.toLocaleString('en')} bytes; the limit is ${PLAN_FILE_LIMITS.maxChars.toLocaleString('en')} characters)`,
      };
    }
    bytes = readFileSync(path);
  } catch (e) {
    return { ok: false, error: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const parsed = readPlanJson(bytes);
  return parsed.ok
    ? { ok: true, json: parsed.value }
    : { ok: false, error: `${path} is not a plan: it is ${parsed.error}` };
}

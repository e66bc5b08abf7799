import { readFileSync } from 'node:fs';
import { parseUntrustedJson } from '../workers/lang/index.ts';

/** Plan files are untrusted like links: size and depth are limited before JSON.parse builds anything. */
const PLAN_FILE_LIMITS = { maxChars: 20_000_000, maxDepth: 64 };

export type ReadResult = { ok: true; json: unknown } | { ok: false; error: string };

export function readPlanFile(path: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, error: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const parsed = parseUntrustedJson(text, PLAN_FILE_LIMITS);
  return parsed.ok
    ? { ok: true, json: parsed.value }
    : { ok: false, error: `${path} is not a plan: it is ${parsed.error}` };
}

/**
 * Strict reading of a model's answer (Parse's default): the answer must be the value and nothing else.
 * Around it only white space, `<think>` blocks and one code fence (```json … ```) are allowed; no prose,
 * no guessing. `list` is a JSON array, `lines` one item per line, `counts` a JSON object of whole
 * numbers, `int` a whole number, `bool` yes/no/true/false, `json` any JSON (checked against a schema when
 * one is given). Anything else is a ParseFailed error saying what was expected.
 */
import { parseUntrustedJson } from '../format/untrusted-json.ts';
import { RunError } from '../run/errors.ts';
import { stripThink } from '../run/think.ts';
import type { JsonValue } from './node-spec.ts';
import { schemaProblem, snippet } from './parse-value.ts';

const JSON_LIMITS = { maxChars: 2_000_000, maxDepth: 64 };

/** The answer without think blocks, surrounding space and one fence around the whole of it. */
export function unwrapAnswer(text: string): string {
  const clean = stripThink(text).trim();
  const fenced = /^```[^\n`]*\n([\s\S]*?)\n?```$/.exec(clean);
  return (fenced ? (fenced[1] ?? '') : clean).trim();
}

const fail = (expected: string, text: string, why?: string): never => {
  throw new RunError(
    'ParseFailed',
    `expected ${expected}${why ? ` (${why})` : ''}; the answer was: "${snippet(text)}"`,
  );
};

function json(text: string, expected: string): JsonValue {
  const body = unwrapAnswer(text);
  const r = parseUntrustedJson(body, JSON_LIMITS);
  if (!r.ok) return fail(expected, text);
  return r.value as JsonValue;
}

const isObject = (v: unknown): v is Record<string, JsonValue> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export function strictList(text: string, maxItems: number): string[] {
  const v = json(text, 'a JSON array, e.g. ["a", "b"]');
  if (!Array.isArray(v)) return fail('a JSON array, e.g. ["a", "b"]', text);
  if (v.length > maxItems) fail(`a list of at most ${maxItems} items`, text, `found ${v.length}`);
  return v.map((x) => (typeof x === 'string' ? x.trim() : JSON.stringify(x))).filter((x) => x.length > 0);
}

/** One item per line; list markers (`-`, `*`, `•`, `1.`, `1)`) are taken off, empty lines dropped. */
export function strictLines(text: string, maxItems: number): string[] {
  const items = unwrapAnswer(text)
    .split(/\r\n|\r|\n/)
    .map((l) =>
      l
        .trim()
        .replace(/^(?:[-*•+]|\d{1,4}[.)])\s+/, '')
        .trim(),
    )
    .filter((l) => l.length > 0);
  if (items.length > maxItems) fail(`at most ${maxItems} lines`, text, `found ${items.length}`);
  return items;
}

export function strictCounts(text: string): Record<string, number> {
  const expected = 'a JSON object of whole numbers, e.g. {"label": 3}';
  const v = json(text, expected);
  if (!isObject(v)) return fail(expected, text);
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v)) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n))
      fail(expected, text, `"${k}" is ${JSON.stringify(n)}`);
    const key = k.trim();
    out[key] = (out[key] ?? 0) + (n as number);
  }
  return out;
}

export function strictInt(text: string): number {
  const body = unwrapAnswer(text);
  if (/^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)$/.test(body)) {
    const n = Number(body.replace(/,/g, ''));
    if (Number.isSafeInteger(n)) return n;
  }
  return fail('a whole number and nothing else', text);
}

export function strictBool(text: string): boolean {
  const body = unwrapAnswer(text).toLowerCase();
  if (body === 'yes' || body === 'true') return true;
  if (body === 'no' || body === 'false') return false;
  return fail('yes or no (or true or false) and nothing else', text);
}

export function strictJson(text: string, schema: unknown): JsonValue {
  const v = json(text, 'JSON and nothing else');
  if (schema !== null && schema !== undefined) {
    const problem = schemaProblem(v, schema, '$');
    if (problem) fail('JSON following the schema', text, problem);
  }
  return v;
}

/**
 * Reading typed values out of model answers (the Parse node). Models wrap values in code fences, add a
 * sentence before or after, use bullets or JSON: all of that is tolerated. What cannot be read as the
 * asked type is a ParseFailed error that says what was expected and shows a snippet, never a guess.
 */

import { parseUntrustedJson } from '../format/untrusted-json.ts';
import { RunError } from '../run/errors.ts';
import { stripThink } from '../run/think.ts';
import type { JsonValue } from './node-spec.ts';

const JSON_LIMITS = { maxChars: 2_000_000, maxDepth: 64 };

/** The contents of fenced code blocks (```lang … ```), in order. */
function fencedBlocks(text: string): string[] {
  const out: string[] = [];
  const re = /```[^\n`]*\n?([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push((m[1] ?? '').trim());
  return out;
}

/** Candidate texts to read a value from: fenced blocks first, then the whole answer. */
function candidates(text: string): string[] {
  const clean = stripThink(text).trim();
  return [...fencedBlocks(clean), clean];
}

/** The first balanced JSON object or array in `text` that parses (strings and escapes respected). */
export function extractJson(text: string, open: '{' | '[' | 'any' = 'any'): JsonValue | undefined {
  const whole = parseUntrustedJson(text.trim(), JSON_LIMITS);
  if (whole.ok && (open === 'any' || (open === '[' ? Array.isArray(whole.value) : isObject(whole.value))))
    return whole.value as JsonValue;
  const openers = open === 'any' ? '{[' : open;
  for (let start = 0; start < text.length; start++) {
    if (!openers.includes(text[start] as string)) continue;
    const end = balancedEnd(text, start);
    if (end < 0) continue;
    const r = parseUntrustedJson(text.slice(start, end + 1), JSON_LIMITS);
    if (r.ok) return r.value as JsonValue;
  }
  return undefined;
}

function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export function snippet(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

const fail = (expected: string, text: string, why?: string): never => {
  throw new RunError(
    'ParseFailed',
    `expected ${expected}${why ? ` (${why})` : ''}; the answer was: "${snippet(text)}"`,
  );
};

const NONE = /^(none|nothing|no items?|n\/a|\[\]|empty|no results?|not found|-)\.?$/i;

export function parseInt_(text: string): number {
  for (const c of candidates(text)) {
    const m = /(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?!\w|\.\d|,\d)/.exec(c);
    if (m) {
      const n = Number(m[0].replace(/,/g, ''));
      if (Number.isSafeInteger(n)) return n;
    }
  }
  return fail('a whole number', text);
}

export function parseBool(text: string): boolean {
  for (const c of candidates(text)) {
    const m = /\b(yes|no|true|false)\b/i.exec(c.replace(/[*_`#>]/g, ''));
    if (m) return /^(yes|true)$/i.test(m[1] as string);
  }
  return fail('yes/no or true/false', text);
}

export function parseList(text: string, maxItems: number): string[] {
  const items = readList(text);
  if (items.length > maxItems) fail(`a list of at most ${maxItems} items`, text, `found ${items.length}`);
  return items;
}

function readList(text: string): string[] {
  const cands = candidates(text);
  for (const c of cands) {
    const json = extractJson(c, '[');
    if (Array.isArray(json))
      return json
        .map((v) => (typeof v === 'string' ? v.trim() : JSON.stringify(v)))
        .filter((v) => v.length > 0);
  }
  const body = cands[0] ?? '';
  if (NONE.test(body.trim()) || body.trim() === '') return [];
  const lines = body.split('\n').map((l) => l.trim());
  const bullet = /^(?:[-*•+]|\d{1,4}[.)]|\(\d{1,4}\))\s+(.*)$/;
  const bulleted = lines.map((l) => bullet.exec(l)?.[1]?.trim()).filter((v): v is string => !!v);
  if (bulleted.length > 0) return bulleted;
  const nonEmpty = lines.filter((l) => l.length > 0);
  if (nonEmpty.length > 1) return nonEmpty;
  const single = nonEmpty[0] ?? '';
  // One line: a comma- or semicolon-separated list, after an optional "Answer:" label.
  const rest = single.replace(/^[\w ]{1,30}:\s+/, '');
  return rest
    .split(/[;,]/)
    .map((s) => s.trim().replace(/\.$/, ''))
    .filter((s) => s.length > 0);
}

export function parseCounts(text: string): Record<string, number> {
  for (const c of candidates(text)) {
    const json = extractJson(c, '{');
    if (isObject(json)) {
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(json)) {
        const n = typeof v === 'string' ? Number(v.trim()) : v;
        if (typeof n !== 'number' || !Number.isSafeInteger(n))
          fail('counts (whole numbers by label)', text, `"${k}" is ${JSON.stringify(v)}`);
        out[k.trim()] = (out[k.trim()] ?? 0) + (n as number);
      }
      return out;
    }
  }
  const body = candidates(text)[0] ?? '';
  if (body.trim() === '' || NONE.test(body.trim())) return {};
  const out: Record<string, number> = {};
  let found = 0;
  for (const line of body.split('\n')) {
    const m = /^\s*(?:[-*•]\s*)?["'`*]*([^:=\n]+?)["'`*]*\s*[:=–-]\s*(-?\d+)\s*[.,;]?\s*$/.exec(line);
    if (m) {
      const key = (m[1] as string).trim();
      out[key] = (out[key] ?? 0) + Number(m[2]);
      found++;
    }
  }
  if (found === 0) fail('counts, e.g. {"label": 3} or lines "label: 3"', text);
  return out;
}

export function parseJson(text: string, schema: unknown): JsonValue {
  let value: JsonValue | undefined;
  for (const c of candidates(text)) {
    value = extractJson(c);
    if (value !== undefined) break;
  }
  if (value === undefined) return fail('JSON', text);
  if (schema !== null && schema !== undefined) {
    const problem = schemaProblem(value, schema, '$');
    if (problem) fail('JSON following the schema', text, problem);
  }
  return value;
}

/**
 * A small JSON Schema subset: type (string/number/integer/boolean/object/array/null, or a list),
 * properties, required, additionalProperties: false, items, enum, minItems/maxItems. Unknown keywords
 * are ignored. Returns why `value` does not conform, or null.
 */
export function schemaProblem(value: unknown, schema: unknown, at: string): string | null {
  if (!isObject(schema)) return null;
  const type = schema.type;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (!types.some((t) => hasType(value, t))) return `${at} should be ${types.join(' or ')}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    return `${at} should be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  if (isObject(value)) {
    const props = isObject(schema.properties) ? schema.properties : {};
    if (Array.isArray(schema.required))
      for (const r of schema.required)
        if (typeof r === 'string' && !Object.hasOwn(value, r)) return `${at}.${r} is missing`;
    for (const [k, v] of Object.entries(value)) {
      if (Object.hasOwn(props, k)) {
        const p = schemaProblem(v, props[k], `${at}.${k}`);
        if (p) return p;
      } else if (schema.additionalProperties === false) return `${at}.${k} is not allowed`;
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      return `${at} should have at least ${schema.minItems} items`;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      return `${at} should have at most ${schema.maxItems} items`;
    if (schema.items !== undefined)
      for (let i = 0; i < value.length; i++) {
        const p = schemaProblem(value[i], schema.items, `${at}[${i}]`);
        if (p) return p;
      }
  }
  return null;
}

function hasType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return true;
  }
}

/** Why a schema is not usable (it must be an object), or null. */
export function schemaShapeProblem(schema: unknown): string | null {
  if (schema === null) return null;
  return isObject(schema) ? null : 'a JSON schema is an object, e.g. {"type": "object"}';
}

/**
 * Price tables (docs/models.md, "Cost"): what each model costs per million tokens, written by the user and
 * imported from a small file, JSON or CSV. Fixpoint ships no prices; a table is empty until the user fills
 * it in.
 *
 * JSON:  { "currency": "USD", "prices": [ { "model": "my-model", "input": 0.5, "output": 1.5,
 *          "cachedInput": 0.25 } ] }
 * CSV:   a header naming the columns `model,input,output` and optionally `cached_input` and `currency`
 *        (one currency for the whole table), then one model a line.
 *
 * A file is untrusted input: bounded in size and rows, every number finite and not negative, every model
 * named once. Errors name the line or the entry.
 */
import type { ModelPrice } from '../run/cost.ts';
import { normalizeText } from './input-text.ts';
import { parseUntrustedJson } from './untrusted-json.ts';

export interface PriceEntry {
  /** The model's name as the engine knows it: the API's model name, e.g. `Qwen/Qwen3-8B`. */
  model: string;
  /** Per million prompt tokens. */
  input: number;
  /** Per million completion tokens. */
  output: number;
  /** Per million prompt tokens read from the server's prompt cache; the input price when absent. */
  cachedInput?: number;
}

export interface PriceTable {
  /** ISO 4217 code of every price in the table. */
  currency: string;
  prices: PriceEntry[];
}

export const EMPTY_PRICE_TABLE: PriceTable = { currency: 'USD', prices: [] };

export const PRICE_TABLE_LIMITS = {
  maxChars: 1024 * 1024,
  maxRows: 5_000,
  maxModelChars: 300,
  /** Per million tokens: far above any price, low enough that no sum overflows into nonsense. */
  maxPrice: 1_000_000,
} as const;

export type PriceTableResult = { ok: true; table: PriceTable } | { ok: false; error: string };

/** The price of `model` in `table`, or null when the table has none (which is not a price of zero). */
export function priceFor(table: PriceTable, model: string): ModelPrice | null {
  const name = model.trim();
  const entry = table.prices.find((p) => p.model === name);
  if (!entry) return null;
  return {
    input: entry.input,
    output: entry.output,
    ...(entry.cachedInput !== undefined && { cachedInput: entry.cachedInput }),
    currency: table.currency,
  };
}

/**
 * The price of one model served under several names (endpoints of two providers naming it differently,
 * docs/scale-out.md): with one name, its price; with more, the dearest of their prices field by field, since
 * a call's cost cannot say which endpoint answered it, so a cost or a money budget never counts low. Null when
 * any name has no price.
 */
export function priceForModels(table: PriceTable, models: readonly string[]): ModelPrice | null {
  const names = [...new Set(models.map((m) => m.trim()))];
  const prices = names.map((n) => priceFor(table, n));
  if (prices.length === 0 || prices.some((p) => p === null)) return null;
  const known = prices as ModelPrice[];
  if (known.length === 1) return known[0]!;
  return {
    input: Math.max(...known.map((p) => p.input)),
    output: Math.max(...known.map((p) => p.output)),
    ...(known.some((p) => p.cachedInput !== undefined) && {
      cachedInput: Math.max(...known.map((p) => p.cachedInput ?? p.input)),
    }),
    currency: table.currency,
  };
}

/** A single price from anywhere untrusted (the page asking the worker to run), or null when it is not one. */
export function checkModelPrice(value: unknown): ModelPrice | null {
  if (typeof value !== 'object' || value === null) return null;
  const p = value as Record<string, unknown>;
  const r = validatePriceTable({
    currency: p.currency,
    prices: [{ model: 'm', input: p.input, output: p.output, cachedInput: p.cachedInput }],
  });
  return r.ok ? priceFor(r.table, 'm') : null;
}

/** Reads a price file; JSON when it starts with `{`, CSV otherwise. `error` completes "<file>: …". */
export function parsePriceTable(content: string): PriceTableResult {
  const text = normalizeText(content);
  if (text.length > PRICE_TABLE_LIMITS.maxChars)
    return { ok: false, error: `too large for a price table (the limit is 1 MB)` };
  return text.trimStart().startsWith('{') ? parseJsonTable(text) : parseCsvTable(text);
}

/** Checks a table from anywhere (a file, the page's saved settings); the same rules as a file. */
export function validatePriceTable(value: unknown): PriceTableResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: 'a price table is an object with "currency" and "prices"' };
  const o = value as Record<string, unknown>;
  const currency = checkCurrency(o.currency ?? 'USD');
  if (typeof currency !== 'string') return currency;
  if (!Array.isArray(o.prices)) return { ok: false, error: '"prices" must be a list' };
  const rows: Row[] = o.prices.map((entry, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    return {
      where: `prices[${i}]`,
      model: e.model,
      input: e.input,
      output: e.output,
      cachedInput: e.cachedInput,
      isObject: typeof entry === 'object' && entry !== null && !Array.isArray(entry),
    };
  });
  return tableOf(currency, rows);
}

/** The table as a file the importer reads back. */
export function formatPriceTable(table: PriceTable, format: 'json' | 'csv'): string {
  if (format === 'json') return `${JSON.stringify(table, null, 2)}\n`;
  const cell = (s: string) => (/[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = ['model,input,output,cached_input,currency'];
  for (const p of table.prices)
    lines.push([cell(p.model), p.input, p.output, p.cachedInput ?? '', table.currency].map(String).join(','));
  return `${lines.join('\n')}\n`;
}

interface Row {
  where: string;
  model: unknown;
  input: unknown;
  output: unknown;
  cachedInput: unknown;
  isObject?: boolean;
}

function parseJsonTable(text: string): PriceTableResult {
  const parsed = parseUntrustedJson(text, { maxChars: PRICE_TABLE_LIMITS.maxChars, maxDepth: 8 });
  if (!parsed.ok) return parsed;
  return validatePriceTable(parsed.value);
}

function parseCsvTable(text: string): PriceTableResult {
  const records = readCsv(text);
  if (!records.ok) return records;
  const lines = records.rows.filter((r) => !(r.cells.length === 1 && r.cells[0]!.trim() === ''));
  const header = lines[0];
  if (!header) return { ok: false, error: 'empty: a price table needs a header line (model,input,output)' };
  const names = header.cells.map((c) => c.trim().toLowerCase().replaceAll(/[\s-]/g, '_'));
  const column = (n: string) => names.indexOf(n);
  const [m, i, o, c, cur] = ['model', 'input', 'output', 'cached_input', 'currency'].map(column) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (m < 0 || i < 0 || o < 0)
    return {
      ok: false,
      error: `line ${header.line}: the header must name the columns model, input and output (and may add cached_input, currency); it names ${names.join(', ')}`,
    };
  let currency: string | undefined;
  const rows: Row[] = [];
  for (const line of lines.slice(1)) {
    const at = (k: number) => (k >= 0 ? (line.cells[k] ?? '').trim() : '');
    if (cur >= 0 && at(cur) !== '') {
      const code = at(cur).toUpperCase();
      if (currency !== undefined && code !== currency)
        return {
          ok: false,
          error: `line ${line.line}: one currency a table (${currency} above, ${code} here)`,
        };
      currency = code;
    }
    rows.push({
      where: `line ${line.line}`,
      model: at(m),
      input: numberCell(at(i)),
      output: numberCell(at(o)),
      cachedInput: at(c) === '' ? undefined : numberCell(at(c)),
    });
  }
  const checked = checkCurrency(currency ?? 'USD');
  if (typeof checked !== 'string') return checked;
  return tableOf(checked, rows);
}

/** A CSV cell as a number when it is one ("0.50", "1e-1"); the text otherwise, for the error to quote. */
function numberCell(s: string): unknown {
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) && /^[+-]?[\d.]+(e[+-]?\d+)?$/i.test(s) ? n : s;
}

function tableOf(currency: string, rows: Row[]): PriceTableResult {
  if (rows.length > PRICE_TABLE_LIMITS.maxRows)
    return { ok: false, error: `${rows.length} prices; a table holds at most ${PRICE_TABLE_LIMITS.maxRows}` };
  const prices: PriceEntry[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.isObject === false) return { ok: false, error: `${row.where}: each price is an object` };
    if (typeof row.model !== 'string' || row.model.trim() === '')
      return { ok: false, error: `${row.where}: the model's name is missing` };
    const model = row.model.trim();
    if (model.length > PRICE_TABLE_LIMITS.maxModelChars)
      return {
        ok: false,
        error: `${row.where}: a model name longer than ${PRICE_TABLE_LIMITS.maxModelChars}`,
      };
    if (seen.has(model)) return { ok: false, error: `${row.where}: "${model}" has a price already` };
    seen.add(model);
    const input = amount(row.input, `${row.where}: the input price of "${model}"`);
    if (typeof input !== 'number') return input;
    const output = amount(row.output, `${row.where}: the output price of "${model}"`);
    if (typeof output !== 'number') return output;
    const entry: PriceEntry = { model, input, output };
    if (row.cachedInput !== undefined && row.cachedInput !== null) {
      const cached = amount(row.cachedInput, `${row.where}: the cached input price of "${model}"`);
      if (typeof cached !== 'number') return cached;
      entry.cachedInput = cached;
    }
    prices.push(entry);
  }
  return { ok: true, table: { currency, prices } };
}

function amount(value: unknown, what: string): number | { ok: false; error: string } {
  if (value === undefined || value === '') return { ok: false, error: `${what} is missing` };
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { ok: false, error: `${what} is not a number (${JSON.stringify(value)?.slice(0, 40)})` };
  if (value < 0) return { ok: false, error: `${what} is negative` };
  if (value > PRICE_TABLE_LIMITS.maxPrice)
    return {
      ok: false,
      error: `${what} is over ${PRICE_TABLE_LIMITS.maxPrice.toLocaleString('en')} a million tokens`,
    };
  return value;
}

function checkCurrency(value: unknown): string | { ok: false; error: string } {
  if (typeof value === 'string' && /^[A-Za-z]{3}$/.test(value.trim())) return value.trim().toUpperCase();
  return {
    ok: false,
    error: `the currency must be a three-letter code such as USD or EUR, not ${JSON.stringify(value)?.slice(0, 20)}`,
  };
}

/** RFC 4180 records: quoted cells may hold commas, quotes ("") and line breaks. Lines are numbered from 1. */
function readCsv(
  text: string,
): { ok: true; rows: { line: number; cells: string[] }[] } | { ok: false; error: string } {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k]!;
    if (quoted) {
      if (ch === '"') {
        if (text[k + 1] === '"') {
          cell += '"';
          k++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n') {
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted) return { ok: false, error: `line ${rowLine}: a quoted cell is never closed` };
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return { ok: true, rows };
}

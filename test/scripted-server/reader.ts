/**
 * TEST DOUBLE: the scripted model's reading of a prompt. It is given each sample's ground truth out of
 * band (workers/lang/samples/truth.ts) and answers a prompt the way a model that reads well would:
 *
 * - only about a question the prompt asks (a sample's question must be in the prompt, except for tasks
 *   that have none, such as a summary);
 * - only from what the prompt holds: a fact once all its evidence is there, a record's label once the
 *   record is there, a summary from the key sentences that are there;
 * - in the output format the request declares (its JSON schema, as a server with structured output
 *   would), whatever the template's wording; with no schema, in plain text;
 * - with the sentinel (default `NOT_FOUND`) when what it needs is not there.
 *
 * It never looks at the template's wording. How it fills a schema, and what it answers without one, is
 * written in docs/examples.md.
 */
import type { GroundTruth, TruthFact, TruthRecord } from '../../workers/lang/samples/truth.ts';
import { taskKindReply } from './task-kind.ts';
import { normaliseSpace, occursIn, TextIndex } from './text-index.ts';

export const DEFAULT_SENTINEL = 'NOT_FOUND';
export const NO_TRUTH_ANSWER = 'SCRIPTED: no ground truth was given for this prompt.';

export interface ReadOptions {
  truth?: readonly GroundTruth[];
  sentinel?: string;
}

export interface ReadRequest {
  messages: readonly { role: string; content: string }[];
  jsonSchema?: unknown;
}

/** What the reply was made from (for tests that look at a request log). */
export type Basis =
  | 'rlm-policy'
  | 'task-kind'
  | 'fact'
  | 'quotes'
  | 'counts'
  | 'records'
  | 'majority'
  | 'summary'
  | 'absent'
  | 'no-question'
  | 'no-truth';

export interface Reading {
  text: string;
  basis: Basis;
}

type Json = null | string | number | boolean | Json[] | { [k: string]: Json };
type Schema = Record<string, unknown>;

const asSchema = (s: unknown): Schema | undefined =>
  s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Schema) : undefined;

const typeOf = (s: Schema | undefined): string | undefined => {
  if (!s) return undefined;
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null') as string | undefined;
  if (s.properties || s.additionalProperties) return 'object';
  if (s.items) return 'array';
  return undefined;
};

const isNumeric = (s: Schema | undefined) => typeOf(s) === 'integer' || typeOf(s) === 'number';

/** Indexes are built once per truth object (a 128K-token sample has thousands of records). */
const recordIndexes = new WeakMap<GroundTruth, TextIndex<TruthRecord>>();
const sentenceIndexes = new WeakMap<GroundTruth, TextIndex<string>>();

function recordIndex(t: GroundTruth): TextIndex<TruthRecord> {
  let index = recordIndexes.get(t);
  if (!index) {
    index = new TextIndex(t.records ?? [], (r) => r.text);
    recordIndexes.set(t, index);
  }
  return index;
}

function sentenceIndex(t: GroundTruth): TextIndex<string> {
  let index = sentenceIndexes.get(t);
  if (!index) {
    index = new TextIndex(t.keySentences ?? [], (s) => s);
    sentenceIndexes.set(t, index);
  }
  return index;
}

/** A passage as it may appear in a prompt: verbatim, or inside a JSON string (quotes escaped). */
function present(prompt: string, passage: string): boolean {
  if (occursIn(prompt, passage)) return true;
  const escaped = JSON.stringify(passage).slice(1, -1);
  return escaped !== passage && occursIn(prompt, escaped);
}

function positionOf(prompt: string, passage: string): number {
  const p = normaliseSpace(passage);
  const at = prompt.indexOf(p);
  return at >= 0 ? at : prompt.indexOf(normaliseSpace(JSON.stringify(passage).slice(1, -1)));
}

/** What the reader learns from one prompt. */
class Knowledge {
  constructor(
    readonly prompt: string,
    readonly truths: readonly GroundTruth[],
  ) {}

  private _records?: TruthRecord[];
  /** Records in the prompt (of the categories the question names, when it names some), in order. */
  get records(): TruthRecord[] {
    if (!this._records) {
      const found: { record: TruthRecord; at: number }[] = [];
      for (const t of this.truths) {
        const named = t.categories ? new Set(t.categories) : undefined;
        for (const o of recordIndex(t).find(this.prompt))
          if (!named || named.has(o.item.fields.label ?? '')) found.push({ record: o.item, at: o.at });
      }
      this._records = found.sort((a, b) => a.at - b.at).map((f) => f.record);
    }
    return this._records;
  }

  get hasRecordTask(): boolean {
    return this.truths.some((t) => t.records !== undefined);
  }

  get categories(): string[] {
    return [...new Set(this.truths.flatMap((t) => t.categories ?? []))];
  }

  /** The first fact all of whose evidence the prompt holds. */
  get fact(): TruthFact | undefined {
    for (const t of this.truths)
      for (const f of t.facts ?? []) if (f.evidence.every((e) => present(this.prompt, e))) return f;
    return undefined;
  }

  /** Evidence passages the prompt holds (of any fact, complete or not), in the prompt's order. */
  get quotes(): string[] {
    const found = new Map<string, number>();
    for (const t of this.truths)
      for (const f of t.facts ?? [])
        for (const e of f.evidence)
          if (!found.has(e) && present(this.prompt, e)) found.set(e, positionOf(this.prompt, e));
    return [...found.entries()].sort((a, b) => a[1] - b[1]).map(([e]) => e);
  }

  counts(keys: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of keys) out[k] = 0;
    for (const r of this.records) {
      const label = r.fields.label ?? '';
      if (keys.length === 0 || Object.hasOwn(out, label)) out[label] = (out[label] ?? 0) + 1;
    }
    return out;
  }

  /** The most frequent label among the records in the prompt; a tie goes to the one seen first. */
  get majority(): string | undefined {
    const counts = new Map<string, number>();
    for (const r of this.records)
      counts.set(r.fields.label ?? '', (counts.get(r.fields.label ?? '') ?? 0) + 1);
    let best: string | undefined;
    for (const [label, n] of counts) if (best === undefined || n > counts.get(best)!) best = label;
    return best;
  }

  /** Key sentences in the prompt, in its order, joined and kept within 200 characters. */
  get summary(): string | undefined {
    const sentences: { s: string; at: number }[] = [];
    for (const t of this.truths)
      for (const o of sentenceIndex(t).find(this.prompt)) sentences.push({ s: o.item, at: o.at });
    if (sentences.length === 0) return undefined;
    const seen = new Set<string>();
    const joined = sentences
      .sort((a, b) => a.at - b.at)
      .map((x) => x.s)
      .filter((s) => !seen.has(s) && seen.add(s))
      .join(' ');
    return joined.length <= 200 ? joined : joined.slice(0, 200).replace(/\s+\S*$/, '');
  }
}

const ANSWER_FIELD = /^(answer|value|result|label|category|topic|class|choice|letter|option)s?$/i;
const QUOTE_FIELD = /(quote|evidence|sentence|excerpt|passage|citation)/i;

/** The scripted model's answer to a chat request. */
export function readPrompt(request: ReadRequest, options: ReadOptions = {}): Reading {
  const sentinel = options.sentinel ?? DEFAULT_SENTINEL;
  const truths = options.truth ?? [];
  // "Which kind of task is this question?" is answered from the question, with or without truth.
  const kind = taskKindReply(request, truths);
  if (kind !== undefined) return { text: kind, basis: 'task-kind' };
  if (truths.length === 0) return { text: NO_TRUTH_ANSWER, basis: 'no-truth' };
  const prompt = normaliseSpace(request.messages.map((m) => String(m.content)).join('\n'));
  const asked = truths.filter((t) => t.question === undefined || prompt.includes(normaliseSpace(t.question)));
  if (asked.length === 0) return { text: sentinel, basis: 'no-question' };
  const k = new Knowledge(prompt, asked);
  const schema = asSchema(request.jsonSchema);
  return schema ? structured(k, schema, sentinel) : plain(k, sentinel);
}

function factText(answer: Json): string {
  return typeof answer === 'string' ? answer : JSON.stringify(answer);
}

function plain(k: Knowledge, sentinel: string): Reading {
  const mode = k.truths.find((t) => t.records)?.recordReply ?? 'counts';
  if (k.records.length > 0) {
    if (mode === 'counts') return { text: JSON.stringify(k.counts(k.categories)), basis: 'counts' };
    if (mode === 'records') return { text: JSON.stringify(k.records.map((r) => r.fields)), basis: 'records' };
    return { text: k.majority!, basis: 'majority' };
  }
  const fact = k.fact;
  if (fact)
    return fact.answer === null
      ? { text: sentinel, basis: 'absent' }
      : { text: factText(fact.answer as Json), basis: 'fact' };
  // Records asked about but none here: an honest count is zero, an honest list empty.
  if (k.hasRecordTask && mode === 'counts')
    return { text: JSON.stringify(k.counts(k.categories)), basis: 'counts' };
  if (k.hasRecordTask && mode === 'records') return { text: '[]', basis: 'records' };
  const summary = k.summary;
  if (summary !== undefined) return { text: summary, basis: 'summary' };
  return { text: sentinel, basis: 'absent' };
}

function structured(k: Knowledge, schema: Schema, sentinel: string): Reading {
  const type = typeOf(schema);
  if (type === 'array') {
    const items = asSchema(schema.items);
    if (typeOf(items) === 'object') {
      const fields = Object.keys(asSchema(items?.properties) ?? {});
      const rows = k.records.map((r) => pick(r.fields, fields));
      return { text: JSON.stringify(rows), basis: 'records' };
    }
    return { text: JSON.stringify(k.quotes), basis: 'quotes' };
  }
  if (type === 'object') {
    const props = asSchema(schema.properties) ?? {};
    const names = Object.keys(props);
    const countsOnly =
      (names.length === 0 && isNumeric(asSchema(schema.additionalProperties))) ||
      (names.length > 0 && names.every((n) => isNumeric(asSchema(props[n]))));
    if (countsOnly)
      return { text: JSON.stringify(k.counts(names.length > 0 ? names : k.categories)), basis: 'counts' };
    return fillObject(k, props, sentinel);
  }
  const reading = plain(k, sentinel);
  if (type === 'integer' || type === 'number') {
    const n = Number(reading.text);
    return Number.isFinite(n) && reading.basis !== 'absent'
      ? { text: String(n), basis: reading.basis }
      : reading;
  }
  if (type === 'string') return { text: JSON.stringify(reading.text), basis: reading.basis };
  return reading;
}

function pick(fields: Record<string, string>, names: readonly string[]): Record<string, string> {
  if (names.length === 0) return { ...fields };
  const out: Record<string, string> = {};
  for (const n of names) {
    const key = Object.keys(fields).find((f) => f.toLowerCase() === n.toLowerCase());
    out[n] = key !== undefined ? fields[key]! : '';
  }
  return out;
}

/** An object schema, each property filled by its name from what the reader knows. */
function fillObject(k: Knowledge, props: Schema, sentinel: string): Reading {
  const fact = k.fact;
  const answer = fact?.answer as Json | undefined;
  const out: Record<string, Json> = {};
  let basis: Basis = 'absent';
  for (const [name, raw] of Object.entries(props)) {
    const prop = asSchema(raw);
    const type = typeOf(prop);
    if (
      answer !== null &&
      typeof answer === 'object' &&
      !Array.isArray(answer) &&
      answer !== undefined &&
      name in answer
    ) {
      out[name] = answer[name]!;
      basis = 'fact';
    } else if (ANSWER_FIELD.test(name)) {
      const value =
        answer !== undefined && answer !== null ? answer : k.hasRecordTask ? k.majority : undefined;
      out[name] =
        value === undefined ? (type === 'integer' || type === 'number' ? null : sentinel) : (value as Json);
      if (value !== undefined) basis = fact ? 'fact' : 'majority';
    } else if (QUOTE_FIELD.test(name) || (type === 'array' && typeOf(asSchema(prop?.items)) === 'string')) {
      out[name] = k.quotes;
      if (k.quotes.length > 0 && basis === 'absent') basis = 'quotes';
    } else if (type === 'array') {
      const fields = Object.keys(asSchema(asSchema(prop?.items)?.properties) ?? {});
      out[name] = k.records.map((r) => pick(r.fields, fields));
      if (k.records.length > 0) basis = 'records';
    } else if (type === 'object') {
      out[name] = k.counts(k.categories);
      basis = 'counts';
    } else out[name] = type === 'integer' || type === 'number' ? 0 : type === 'boolean' ? false : sentinel;
  }
  return { text: JSON.stringify(out), basis };
}

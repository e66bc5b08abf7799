import { Json, List, Pair, Str } from '../check/types.ts';
import { RunError } from '../run/errors.ts';
import { isAbsent } from './absent.ts';
import type { NodeSpec, ParamProblem, Params, Value } from './node-spec.ts';

/**
 * PairsWhere: the pairwise step of OOLONG-Pairs done symbolically (λ-RLM's Alg. 5: label the items with the
 * model, then FILTER by a predicate and form the i < j pairs in code). Its input is the records the leaves
 * parsed (objects, or lists of objects: one list per piece is flattened); each record names an item by
 * its `key` field and gives an `attribute` value. Items are grouped by key (a repeated record changes
 * nothing), and a pair of items is kept when one has a value among `first` and the other a value among
 * `second` ("both asked about a location": first = second = location). The condition comes from the
 * `condition` input ({"first": [...], "second": [...]}, e.g. a model's reading of the question) or, when
 * that is not wired, from the params. Values compare without case; an empty side takes every item.
 * Anything that is not such a record (text, a number, an object without the key) is a ParseFailed
 * error, never dropped in silence: a pair missing for it would look like an answer.
 */

const lines = (text: unknown) =>
  String(text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const norm = (v: unknown) => String(v).trim().toLowerCase();

function side(value: unknown): Set<string> | undefined {
  if (Array.isArray(value)) return new Set(value.map(norm));
  if (typeof value === 'string') return new Set([norm(value)]);
  return undefined;
}

/** Keys in order: numbers by value, then text. */
function compareKeys(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function pairsWhere(records: readonly Value[], params: Params, condition?: Value): [string, string][] {
  const key = String(params.key);
  const attribute = String(params.attribute);
  const given =
    condition !== null && typeof condition === 'object' && !Array.isArray(condition) ? condition : undefined;
  const first =
    (given && side((given as Record<string, unknown>).first)) ?? new Set(lines(params.first).map(norm));
  const second =
    (given && side((given as Record<string, unknown>).second)) ?? new Set(lines(params.second).map(norm));
  const values = new Map<string, Set<string>>();
  const visit = (r: Value) => {
    if (Array.isArray(r)) {
      for (const x of r) visit(x as Value);
      return;
    }
    const o = r !== null && typeof r === 'object' ? (r as Record<string, unknown>) : undefined;
    const k = o?.[key];
    const id = typeof k === 'string' || typeof k === 'number' ? String(k).trim() : '';
    if (!o || id === '')
      throw new RunError(
        'ParseFailed',
        `expected records with a "${key}" field, got ${JSON.stringify(r)?.slice(0, 80) ?? String(r)}`,
      );
    if (!values.has(id)) values.set(id, new Set());
    const v = o[attribute];
    for (const x of Array.isArray(v) ? v : [v])
      if (x !== undefined && x !== null) values.get(id)!.add(norm(x));
  };
  // A piece with no answer (absent) contributes no record.
  for (const r of records) if (!isAbsent(r)) visit(r);
  const meets = (id: string, wanted: Set<string>) =>
    wanted.size === 0 || [...(values.get(id) ?? [])].some((v) => wanted.has(v));
  const ids = [...values.keys()].sort(compareKeys);
  const a = ids.map((id) => meets(id, first));
  const b = ids.map((id) => meets(id, second));
  const out: [string, string][] = [];
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++)
      if ((a[i] && b[j]) || (b[i] && a[j])) out.push([ids[i]!, ids[j]!]);
  return out;
}

export const pairsWhereSpec: NodeSpec = {
  kind: 'PairsWhere',
  group: 'symbolic',
  title: 'Pairs where',
  description: 'Pairs of items (by a key field) whose attributes meet a condition, as in OOLONG-Pairs.',
  params: [
    {
      name: 'key',
      label: 'Key field',
      kind: 'string',
      default: 'id',
      description: 'The field of a record that names its item (a user id); pairs are of these.',
    },
    {
      name: 'attribute',
      label: 'Attribute field',
      kind: 'string',
      default: 'label',
      description: 'The field whose values the condition tests (a label).',
    },
    {
      name: 'first',
      label: 'One side has',
      kind: 'text',
      default: '',
      description:
        'Values (one per line) one item of a pair must have, when no condition is wired. Empty: any.',
    },
    {
      name: 'second',
      label: 'Other side has',
      kind: 'text',
      default: '',
      description: 'Values (one per line) the other item must have, when no condition is wired. Empty: any.',
    },
  ],
  ports: () => ({
    inputs: [
      { name: 'records', type: List(Json), label: 'records' },
      {
        name: 'condition',
        type: Json,
        label: 'condition',
        optional: true,
        description: '{"first": [...], "second": [...]}; overrides the params.',
      },
    ],
    outputs: [{ name: 'pairs', type: List(Pair(Str, Str)), label: 'pairs' }],
  }),
  validate: (params: Params): ParamProblem[] => {
    const out: ParamProblem[] = [];
    if (String(params.key).trim() === '')
      out.push({ param: 'key', message: 'name the field that holds the key' });
    if (String(params.attribute).trim() === '')
      out.push({ param: 'attribute', message: 'name the field the condition tests' });
    return out;
  },
  compute: (inputs, params, ctx) => {
    try {
      return { pairs: pairsWhere((inputs.records ?? []) as Value[], params, inputs.condition) };
    } catch (e) {
      if (e instanceof RunError) throw new RunError(e.kind, e.message, ctx.nodeId);
      throw e;
    }
  },
  // A record seen twice (in the overlap of two pieces) names the same item: it changes nothing.
  duplicates: () => 'tolerated',
  term: (node, t) =>
    `pairsWhere(${String(node.params.key ?? 'id')}, ${String(node.params.attribute ?? 'label')})${t.args}`,
};

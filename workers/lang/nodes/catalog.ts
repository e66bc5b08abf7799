/**
 * The node catalog: one NodeSpec per kind (files under nodes/), parameter defaults and validation, and the
 * palette's groups. The editor, the checker, the planner and the evaluator all read node kinds from here.
 */
import type { Diagnostic } from '../check/diagnostics.ts';
import type { NodeKind } from '../format/plan.ts';
import { concatSpec } from './concat.ts';
import { constSpec } from './const.ts';
import { crossSpec } from './cross.ts';
import { entrySpec } from './entry.ts';
import { exitSpec } from './exit.ts';
import { filterSpec } from './filter.ts';
import { fixSpec } from './fix.ts';
import { inputSpec } from './input.ts';
import { llmSpec } from './llm.ts';
import { mapSpec } from './map.ts';
import { matchSpec } from './match.ts';
import type { NodeGroup, NodeSpec, ParamSpec, Params } from './node-spec.ts';
import { outputSpec } from './output.ts';
import { pairsSpec } from './pairs.ts';
import { parseSpec } from './parse.ts';
import { peekSpec } from './peek.ts';
import { querySpec } from './query.ts';
import { reduceSpec } from './reduce.ts';
import { selfSpec } from './self.ts';
import { splitSpec } from './split.ts';

export const catalog: Record<NodeKind, NodeSpec> = {
  Input: inputSpec,
  Query: querySpec,
  Const: constSpec,
  Split: splitSpec,
  Peek: peekSpec,
  Match: matchSpec,
  Map: mapSpec,
  Filter: filterSpec,
  Reduce: reduceSpec,
  Concat: concatSpec,
  Cross: crossSpec,
  Pairs: pairsSpec,
  Parse: parseSpec,
  LLM: llmSpec,
  Fix: fixSpec,
  Self: selfSpec,
  Entry: entrySpec,
  Exit: exitSpec,
  Output: outputSpec,
};

export function nodeSpec(kind: NodeKind): NodeSpec {
  return catalog[kind];
}

export function isNodeKind(kind: unknown): kind is NodeKind {
  return typeof kind === 'string' && Object.hasOwn(catalog, kind);
}

/** Kinds interpreted by the evaluator itself rather than through `evaluate`. */
export const CONTAINER_KINDS: readonly NodeKind[] = ['Map', 'Filter', 'Reduce', 'Fix'];
export const STRUCTURE_KINDS: readonly NodeKind[] = ['Self', 'Entry', 'Exit'];

export const paletteGroups: readonly { group: NodeGroup; title: string; kinds: NodeKind[] }[] = [
  { group: 'source', title: 'Sources', kinds: ['Input', 'Query', 'Const'] },
  {
    group: 'symbolic',
    title: 'Symbolic',
    kinds: ['Split', 'Peek', 'Match', 'Concat', 'Cross', 'Pairs', 'Parse'],
  },
  { group: 'higher-order', title: 'Combinators', kinds: ['Map', 'Filter', 'Reduce', 'Fix'] },
  { group: 'neural', title: 'Model', kinds: ['LLM'] },
  { group: 'output', title: 'Result', kinds: ['Output'] },
];

/** The default value of every parameter of a kind (a fresh copy). */
export function defaultParams(kind: NodeKind): Params {
  const out: Params = {};
  for (const p of catalog[kind].params)
    out[p.name] =
      typeof p.default === 'object' && p.default !== null ? structuredClone(p.default) : p.default;
  return out;
}

/** Params with defaults filled in for the missing ones. Unknown params are kept (the checker warns). */
export function resolveParams(kind: NodeKind, params: Params | undefined): Params {
  return { ...defaultParams(kind), ...(params ?? {}) };
}

function paramProblem(spec: ParamSpec, value: unknown): string | null {
  if (value === null && spec.nullable) return null;
  switch (spec.kind) {
    case 'string':
    case 'text':
    case 'template':
      return typeof value === 'string' ? null : 'must be text';
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'must be a whole number';
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      break;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && (spec.options ?? []).includes(value)
        ? null
        : `must be one of ${(spec.options ?? []).join(', ')}`;
    case 'json':
      return null;
  }
  const n = value as number;
  if (spec.min !== undefined && n < spec.min) return `must be at least ${spec.min}`;
  if (spec.max !== undefined && n > spec.max) return `must be at most ${spec.max}`;
  return null;
}

/**
 * Every problem with a node's parameters, as diagnostics with code `invalid-param`. Never throws on any
 * input (params come from untrusted plans). `nodeId` names the node in the diagnostics.
 */
export function validateParams(kind: NodeKind, params: unknown, nodeId?: string): Diagnostic[] {
  const spec = catalog[kind];
  const out: Diagnostic[] = [];
  const at = (message: string, param?: string, severity: 'error' | 'warning' = 'error'): Diagnostic => ({
    code: 'invalid-param',
    severity,
    message,
    ...(nodeId !== undefined ? { nodeId } : {}),
    ...(param !== undefined ? { param } : {}),
  });
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    return [at(`${kind}: params must be an object`)];
  }
  const given = (params ?? {}) as Params;
  const resolved = resolveParams(kind, given);
  for (const p of spec.params) {
    const problem = paramProblem(p, resolved[p.name]);
    if (problem) out.push(at(`${kind} parameter "${p.name}" ${problem}`, p.name));
  }
  for (const name of Object.keys(given)) {
    if (!spec.params.some((p) => p.name === name))
      out.push(at(`${kind} has no parameter "${name}" (it is ignored)`, name, 'warning'));
  }
  if (out.some((d) => d.severity === 'error') || !spec.validate) return out;
  try {
    for (const p of spec.validate(resolved))
      out.push(at(`${kind} parameter "${p.param}": ${p.message}`, p.param));
  } catch (e) {
    out.push(
      at(`${kind}: parameters could not be validated (${e instanceof Error ? e.message : String(e)})`),
    );
  }
  return out;
}

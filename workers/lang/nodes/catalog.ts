/**
 * The node catalog: the kinds a plan may use, one NodeSpec each (one file per kind under nodes/). The
 * catalog is a value: the checker, the planner and the evaluator take one (this built-in one unless told
 * otherwise), so a test can build its own with a kind of its own. Every list of kinds (the plan loader's
 * known kinds, the palette and its groups, containers) is derived from it; adding a kind is adding its
 * file and one line below. Plan files and share links are read against the built-in catalog, so they
 * may use known kinds only.
 */
import type { Diagnostic } from '../check/diagnostics.ts';
import { concatSpec } from './concat.ts';
import { constSpec } from './const.ts';
import { crossSpec } from './cross.ts';
import { entrySpec } from './entry.ts';
import { exitSpec } from './exit.ts';
import { filterSpec } from './filter.ts';
import { findSpec } from './find.ts';
import { fixSpec } from './fix.ts';
import { inputSpec } from './input.ts';
import { llmSpec } from './llm.ts';
import { mapSpec } from './map.ts';
import { matchSpec } from './match.ts';
import type { NodeGroup, NodeSpec, Params } from './node-spec.ts';
import { outputSpec } from './output.ts';
import { pairsSpec } from './pairs.ts';
import { pairsWhereSpec } from './pairs-where.ts';
import { defaultsOf, paramsOf, problemsOf, specIn } from './params.ts';
import { parseSpec } from './parse.ts';
import { peekSpec } from './peek.ts';
import { querySpec } from './query.ts';
import { reduceSpec } from './reduce.ts';
import { selfSpec } from './self.ts';
import { splitSpec } from './split.ts';

/** Kinds by name. Palette order within a group is the order here. */
export type Catalog = Readonly<Record<string, NodeSpec>>;

const builtins = {
  Input: inputSpec,
  Query: querySpec,
  Const: constSpec,
  Split: splitSpec,
  Peek: peekSpec,
  Match: matchSpec,
  Concat: concatSpec,
  Cross: crossSpec,
  Pairs: pairsSpec,
  PairsWhere: pairsWhereSpec,
  Parse: parseSpec,
  Map: mapSpec,
  Filter: filterSpec,
  Find: findSpec,
  Reduce: reduceSpec,
  Fix: fixSpec,
  LLM: llmSpec,
  Self: selfSpec,
  Entry: entrySpec,
  Exit: exitSpec,
  Output: outputSpec,
};

/** The built-in kinds (one line each above). */
export const catalog: Catalog = Object.freeze(builtins);

export type BuiltinKind = keyof typeof builtins;

/** The built-in kinds' names, in catalog order. */
export const NODE_KINDS: readonly BuiltinKind[] = Object.keys(builtins) as BuiltinKind[];

/** The spec of a built-in kind; throws for an unknown one (a plan that loaded never has one). */
export function nodeSpec(kind: string, c: Catalog = catalog): NodeSpec {
  const spec = specIn(c, kind);
  if (!spec) throw new Error(`unknown node kind "${kind}"`);
  return spec;
}

export function isNodeKind(kind: unknown, c: Catalog = catalog): kind is BuiltinKind {
  return typeof kind === 'string' && Object.hasOwn(c, kind);
}

/** Kinds the evaluator interprets as containers (they own bodies). */
export function containerKinds(c: Catalog = catalog): string[] {
  return Object.values(c)
    .filter((s) => s.container)
    .map((s) => s.kind);
}

export const CONTAINER_KINDS: readonly string[] = containerKinds();

/** Kinds made with their container, never from the palette (Entry, Exit, Self). */
export const STRUCTURE_KINDS: readonly string[] = Object.values(catalog)
  .filter((s) => s.group === 'structure')
  .map((s) => s.kind);

const GROUP_TITLES: readonly { group: NodeGroup; title: string }[] = [
  { group: 'source', title: 'Sources' },
  { group: 'symbolic', title: 'Symbolic' },
  { group: 'higher-order', title: 'Combinators' },
  { group: 'neural', title: 'Model' },
  { group: 'output', title: 'Result' },
];

export interface PaletteGroup {
  group: NodeGroup;
  title: string;
  kinds: string[];
  specs: NodeSpec[];
}

/** The palette: every kind but the structure ones, by group, in catalog order. */
export function paletteGroupsOf(c: Catalog): PaletteGroup[] {
  return GROUP_TITLES.map(({ group, title }) => {
    const specs = Object.values(c).filter((s) => s.group === group);
    return { group, title, kinds: specs.map((s) => s.kind), specs };
  }).filter((g) => g.specs.length > 0);
}

export const paletteGroups: readonly PaletteGroup[] = paletteGroupsOf(catalog);

const specFor = (kind: string | NodeSpec): NodeSpec => (typeof kind === 'string' ? nodeSpec(kind) : kind);

/** The default value of every parameter of a kind (a fresh copy). */
export function defaultParams(kind: string | NodeSpec): Params {
  return defaultsOf(specFor(kind));
}

/** Params with defaults filled in for the missing ones. Unknown params are kept (the checker warns). */
export function resolveParams(kind: string | NodeSpec, params: Params | undefined): Params {
  return paramsOf(specFor(kind), params);
}

/**
 * Every problem with a node's parameters, as diagnostics with code `invalid-param` (`template-variable`
 * for a template's own problems). Never throws on any input (params come from untrusted plans).
 */
export function validateParams(kind: string | NodeSpec, params: unknown, nodeId?: string): Diagnostic[] {
  return problemsOf(specFor(kind), params, nodeId);
}

export { specIn };

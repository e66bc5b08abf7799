/**
 * The planner: sizes the recursion before any model call and bounds what the run will cost.
 *
 * - n: the input's size in tokens; K: the leaf window (context window − the largest leaf template and
 *   system prompt − the query − the output reserve, which is at least the largest answer).
 * - k rules: flat k* = ⌈n/K⌉; sqrt k* = ⌈√(n/c_⊕)⌉ clamped to [2, 20] (c_⊕: tokens a neural ⊕ reads per
 *   child, its answer size); binary k* = 2. auto: flat for a symbolic ⊕, sqrt when some combine step
 *   calls the model. When n ≤ K there is nothing to split: k* = 1, τ* = n, d = 0.
 * - τ* = min(K, ⌈n/k*⌉); d = ⌈log_{k*}(n/τ*)⌉, computed as the least d with (k*)^d·τ* ≥ n.
 * - Accuracy bound (per path): (A(τ*)·A_⊕)^d with A(m) = A₀·ρ^{m/K} (A_⊕ = 1 for a symbolic ⊕); with d = 0
 *   it is A(n). While it is below α, k* is raised (flat, sqrt, auto; binary keeps 2), or a note says why
 *   it cannot be met.
 * - Calls and tokens: the dry run (dry-run.ts) interprets the plan with these sizes, on the input itself
 *   when the planner has it, and counts every model call the run can make.
 */

import type { Diagnostic } from '../check/diagnostics.ts';
import type { Plan, PlanNode } from '../format/plan.ts';
import { catalog as builtinCatalog, type Catalog, resolveParams, specIn } from '../nodes/catalog.ts';
import type { NodeSpec, SplitSizing } from '../nodes/node-spec.ts';
import { compileProgram } from '../run/program.ts';
import { depthFor } from './depth.ts';
import { DryRun, type DryRunResult, type OversizeCall, ZERO } from './dry-run.ts';
import type { PlanEstimate } from './estimate.ts';
import { estimateTokenizer, type Tokenizer } from './tokenizer.ts';

export interface EstimateOptions {
  /** The input document; or its size in tokens when the text is not at hand. */
  inputText?: string;
  inputTokens?: number;
  tokenizer?: Tokenizer;
  /** The leaf model's window in tokens; the plan's planner.contextWindow overrides it. */
  contextWindow: number;
  /** The query the run will use (the plan's own when absent). */
  query?: string;
  /** The kinds the plan may use: the built-in catalog unless a test brings its own. */
  catalog?: Catalog;
}

const SQRT_MAX_K = 20;

/** What the evaluator needs to size Splits and stop Fix recursion. */
export function sizingOf(e: Pick<PlanEstimate, 'kStar' | 'tauStar' | 'depth' | 'K' | 'sizing'>): SplitSizing {
  return e.sizing ?? { kStar: e.kStar, tauStar: e.tauStar, depth: e.depth, K: e.K };
}

export function accuracyOf(m: number, K: number, a0: number, rho: number): number {
  return a0 * rho ** (m / Math.max(1, K));
}

interface Sizing {
  kStar: number;
  tauStar: number;
  depth: number;
  bound: number;
}

function size(n: number, K: number, k: number, a: { a0: number; rho: number; aCombine: number }): Sizing {
  if (n <= K) return { kStar: 1, tauStar: n, depth: 0, bound: accuracyOf(n, K, a.a0, a.rho) };
  const kStar = Math.max(2, k);
  const tauStar = Math.min(K, Math.ceil(n / kStar));
  const depth = depthFor(n, kStar, tauStar);
  const bound = (accuracyOf(tauStar, K, a.a0, a.rho) * a.aCombine) ** depth;
  return { kStar, tauStar, depth, bound };
}

/** A node's spec in the catalog and its params with defaults, or undefined for an unknown kind. */
function specAndParams(
  kinds: Catalog,
  node: PlanNode,
): { spec: NodeSpec; params: Record<string, unknown> } | undefined {
  const spec = specIn(kinds, node.kind);
  return spec ? { spec, params: resolveParams(spec, node.params) } : undefined;
}

/** Nodes inside one body of a container, at any depth (bodies of nested Fix bases excluded: they are leaves). */
function bodyMembers(plan: Plan, kinds: Catalog, id: string, slot: string): PlanNode[] {
  const out: PlanNode[] = [];
  const frontier = [id];
  const seen = new Set<string>([id]);
  while (frontier.length > 0) {
    const parent = frontier.pop() as string;
    for (const n of plan.nodes)
      if (
        n.parent === parent &&
        !seen.has(n.id) &&
        (parent !== id || (n.slot ?? 'body') === slot) &&
        n.slot !== 'base'
      ) {
        seen.add(n.id);
        out.push(n);
        if (specIn(kinds, n.kind)?.container) frontier.push(n.id);
      }
  }
  return out;
}

/**
 * Whether the plan combines with the model (a neural ⊕): a model call in a fold's body, or in a Fix step
 * (a step that merges its pieces' results with a call). `perChild`: the largest answer such a merge reads
 * per child, the answer size of the plan's other model calls.
 */
function neuralCombine(plan: Plan, kinds: Catalog): { neural: boolean; perChild: number; readsAll: boolean } {
  const combiners = new Set<string>();
  const inFold = new Set<string>();
  for (const node of plan.nodes) {
    const sp = specAndParams(kinds, node);
    const container = sp?.spec.container;
    if (!sp || !container || container.bodyless?.(sp.params)) continue;
    if (container.behaviour !== 'fold' && container.behaviour !== 'fix') continue;
    const slot = container.behaviour === 'fix' ? 'step' : 'body';
    for (const n of bodyMembers(plan, kinds, node.id, slot)) {
      if (container.behaviour === 'fold') inFold.add(n.id);
      if (specIn(kinds, n.kind)?.leafShape) combiners.add(n.id);
    }
  }
  const answer = (n: PlanNode) => {
    const sp = specAndParams(kinds, n);
    return sp?.spec.leafShape ? sp.spec.leafShape(sp.params, estimateTokenizer).answerTokens : 0;
  };
  let perChild = 0;
  for (const n of plan.nodes) if (!combiners.has(n.id)) perChild = Math.max(perChild, answer(n));
  if (perChild === 0) for (const n of plan.nodes) perChild = Math.max(perChild, answer(n));
  // A step's own call (not a pairwise fold) reads all k* children at once.
  const readsAll = [...combiners].some((id) => !inFold.has(id));
  return { neural: combiners.size > 0, perChild: Math.max(1, perChild), readsAll };
}

/** Tokens the largest leaf prompt spends on its fixed parts (template text, system prompt, formatting). */
function templateTokens(
  plan: Plan,
  kinds: Catalog,
  tokenizer: Tokenizer,
): { fixed: number; usesQuery: boolean; maxOut: number; readsPiece: boolean } {
  let fixed = 0;
  let usesQuery = false;
  let maxOut = 0;
  const shapes = plan.nodes.flatMap((n) => {
    const sp = specAndParams(kinds, n);
    return sp?.spec.leafShape ? [sp.spec.leafShape(sp.params, tokenizer)] : [];
  });
  const reading = shapes.filter((s) => s.readsPiece);
  for (const s of reading.length > 0 ? reading : shapes) {
    fixed = Math.max(fixed, s.fixedTokens);
    usesQuery ||= s.usesQuery;
  }
  for (const s of shapes) maxOut = Math.max(maxOut, s.answerTokens);
  return { fixed, usesQuery, maxOut, readsPiece: reading.length > 0 };
}

export function estimate(plan: Plan, options: EstimateOptions): PlanEstimate {
  const tokenizer = options.tokenizer ?? estimateTokenizer;
  const kinds = options.catalog ?? builtinCatalog;
  const settings = plan.planner;
  const notes: string[] = [];
  const n = Math.max(0, Math.round(options.inputTokens ?? tokenizer.count(options.inputText ?? '')));
  const query = options.query ?? plan.query;
  const window = settings.contextWindow ?? options.contextWindow;
  const tpl = templateTokens(plan, kinds, tokenizer);
  const queryTokens = tokenizer.count(query);
  const reserve = Math.max(settings.outputReserve, tpl.maxOut);
  const rawK = window - tpl.fixed - (tpl.usesQuery ? queryTokens : 0) - reserve;
  const K = Math.max(1, rawK);
  if (rawK < 64)
    notes.push(
      `The leaf window is only ${rawK} tokens (context ${window} − template ${tpl.fixed} − query ${tpl.usesQuery ? queryTokens : 0} − answer reserve ${reserve}): shorten the prompts or use a model with a larger window.`,
    );

  const combine = neuralCombine(plan, kinds);
  const kRule: PlanEstimate['kRule'] =
    settings.kRule === 'auto' ? (combine.neural ? 'sqrt' : 'flat') : settings.kRule;
  const aCombine = combine.neural ? settings.combineAccuracy : 1;
  const acc = { a0: settings.leafAccuracy, rho: settings.rho, aCombine };
  let k: number;
  switch (kRule) {
    case 'flat':
      k = Math.ceil(n / K);
      break;
    case 'sqrt':
      k = Math.min(SQRT_MAX_K, Math.max(2, Math.ceil(Math.sqrt(n / combine.perChild))));
      break;
    case 'binary':
      k = 2;
      break;
  }
  if (settings.kRule === 'auto')
    notes.push(
      combine.neural
        ? `k rule sqrt: the plan combines with the model (a neural ⊕), so fewer, larger merges pay off.`
        : `k rule flat: ⊕ is symbolic (free), so one level of ⌈n/K⌉ leaves is cheapest.`,
    );

  // A merge that reads all k* answers at once must fit them in its window.
  const mergeCap = combine.readsAll
    ? Math.max(2, Math.floor(K / combine.perChild))
    : Number.POSITIVE_INFINITY;
  if (k > mergeCap && n > K) {
    notes.push(
      `k* capped at ${mergeCap}: the step's merge call reads k* answers of up to ${combine.perChild} tokens each, and they must fit the window.`,
    );
    k = mergeCap;
  }
  let s = size(n, K, k, acc);
  const unraised = s;
  if (n <= K)
    notes.push(`The input (${n} tokens) fits the leaf window (${K}): no split, one pass of the base case.`);
  else if (s.bound < settings.alpha && kRule !== 'binary') {
    const startK = s.kStar;
    const limit = Math.max(startK, Math.min(n, mergeCap, Math.max(100, Math.ceil(n / K) * 8)));
    // k* moves only to a k that raises the bound: the smallest that reaches α, else the smallest with the
    // best bound there is. More leaves that buy no accuracy (a smaller τ* that needs as many levels) are
    // never taken.
    for (let kk = startK + 1; s.bound < settings.alpha && kk <= limit; kk++) {
      const next = size(n, K, kk, acc);
      if (next.bound > s.bound) s = next;
    }
    if (s.kStar !== startK)
      notes.push(
        s.bound >= settings.alpha
          ? `k* raised from ${startK} to ${s.kStar} so the accuracy bound reaches α = ${settings.alpha}.`
          : `k* raised from ${startK} to ${s.kStar}, where the accuracy bound is highest; more would not raise it.`,
      );
  }
  if (s.bound < settings.alpha) {
    const ceiling = settings.leafAccuracy * aCombine;
    notes.push(
      ceiling < settings.alpha
        ? `The accuracy target α = ${settings.alpha} cannot be met: even a perfect split gives at most A₀·A_⊕ = ${round(ceiling)} per level.`
        : `The accuracy target α = ${settings.alpha} is not met: the bound is ${round(s.bound)} at k* = ${s.kStar}${kRule === 'binary' ? ' (the binary rule keeps k* = 2)' : ''}.`,
    );
  }

  const dryRunAt = (sized: Sizing) => {
    const sizing: SplitSizing = { kStar: sized.kStar, tauStar: sized.tauStar, depth: sized.depth, K };
    const result = dryRun(plan, kinds, {
      ...(options.inputText !== undefined ? { input: options.inputText } : {}),
      n,
      tokenizer,
      query,
      queryTokens,
      sizing,
      window,
      kinds,
    });
    return { sizing, dry: result };
  };
  let { sizing, dry } = dryRunAt(s);
  // More, smaller pieces buy accuracy only if the plan can still run: a call that reads what every piece
  // answered (notes gathered into one last call) grows with their number. Then k* stays where it started.
  if (dry.oversize.length > 0 && s.kStar > unraised.kStar) {
    const fewer = dryRunAt(unraised);
    if (fewer.dry.oversize.length === 0) {
      notes.push(
        `k* kept at ${unraised.kStar}, not raised to ${s.kStar} for accuracy: with ${s.kStar} pieces, what they answer could overflow the window of ${nameOf(plan, dry.oversize[0]!.nodeId)}, which reads all of it.`,
      );
      s = unraised;
      ({ sizing, dry } = fewer);
    }
  }
  const cost = dry.cost;
  sizing.fixDepth = dry.fixDepths;
  const bounded = dry.unbounded.size === 0;
  if (!bounded)
    notes.push(
      `The number of calls cannot be bounded before the run: the length of the list at ${[...dry.unbounded].join(', ')} is unknown.`,
    );
  const totalCalls = cost.leaf + cost.filter + cost.combine + cost.repair;
  const budgets = settings.budgets;
  if (budgets.maxCalls !== undefined && totalCalls > budgets.maxCalls)
    notes.push(
      `Up to ${totalCalls} calls may be needed, over the budget of ${budgets.maxCalls}: the run may stop early.`,
    );
  if (budgets.maxTokens !== undefined && cost.prompt + cost.completion > budgets.maxTokens)
    notes.push(
      `Up to ${cost.prompt + cost.completion} tokens may be needed, over the budget of ${budgets.maxTokens}: the run may stop early.`,
    );

  for (const f of dry.symbolicFilters) {
    const policy = plan.nodes.find((n) => n.id === f.nodeId)?.params.ifNoneKept;
    notes.push(
      f.kept === 0
        ? `${nameOf(plan, f.nodeId)} keeps none of its ${f.of} pieces by its own rules, so ${policy === 'none' ? 'nothing after it reads any (it keeps nothing: "none")' : policy === 'error' ? 'the run will stop with FilterEmpty' : 'all of them go on ("all")'}.`
        : `${nameOf(plan, f.nodeId)} keeps ${f.kept} of its ${f.of} pieces by its own rules before any model reads them: the bound assumes the kept pieces hold the answer.`,
    );
  }
  for (const id of previewFilters(plan, kinds))
    notes.push(
      `${nameOf(plan, id)} asks the model about a preview of each piece (a slice of it): facts past the preview are not seen by the filter, and a piece it drops is not read again.`,
    );
  // What the dry run saw on the input: the first cut's pieces and the depth the recursion reached.
  const firstCut = options.inputText !== undefined ? dry.cuts[0] : undefined;
  const kStar = firstCut ? firstCut.pieces : s.kStar;
  const ranFix = options.inputText !== undefined && dry.cuts.some((c) => c.inFixStep);
  const depth = ranFix ? dry.depth : firstCut ? (firstCut.pieces > 1 ? 1 : 0) : s.depth;
  const bound =
    depth === 0
      ? accuracyOf(Math.min(n, s.tauStar), K, acc.a0, acc.rho)
      : (accuracyOf(s.tauStar, K, acc.a0, acc.rho) * aCombine) ** depth;
  const refusals = dry.oversize.map((o) =>
    refusal(plan, kinds, o, window, tokenizer, queryTokens, s.tauStar),
  );
  if (rawK < 1 && tpl.readsPiece)
    refusals.push({
      code: 'leaf-window',
      severity: 'error',
      message: `The leaf window has no room for the text: context ${int(window)} − template ${int(tpl.fixed)} − query ${int(tpl.usesQuery ? queryTokens : 0)} − answer reserve ${int(reserve)} = ${int(rawK)} tokens. Lower the planner's answer reserve (outputReserve) or Max tokens, shorten the prompts, or use a model with a larger window.`,
    });

  return {
    n,
    K,
    kRule,
    kStar,
    tauStar: s.tauStar,
    depth,
    sizing,
    leafCalls: cost.leaf,
    filterCalls: cost.filter,
    combineCalls: cost.combine,
    repairCalls: cost.repair,
    totalCalls,
    ...(bounded ? {} : { bounded: false }),
    promptTokens: Math.round(cost.prompt),
    completionTokens: Math.round(cost.completion),
    expected: {
      calls: Math.round(cost.expectedCalls),
      promptTokens: Math.round(cost.expectedPrompt),
      completionTokens: Math.round(cost.expectedCompletion),
    },
    refusals,
    accuracyBound: bound,
    alpha: settings.alpha,
    meetsTarget: bound >= settings.alpha,
    tokenizer: tokenizer.name,
    notes,
  };
}

/** A node as messages name it: `Kind "label"`. */
function nameOf(plan: Plan, id: string): string {
  const node = plan.nodes.find((n) => n.id === id);
  return node ? `${node.kind} "${node.label ?? node.id}"` : `"${id}"`;
}

/**
 * Filters whose body asks the model about a slice of the item (a Peek into an LLM): model relevance on a
 * preview, which cannot see past it.
 */
function previewFilters(plan: Plan, kinds: Catalog): string[] {
  const out: string[] = [];
  for (const node of plan.nodes) {
    if (specIn(kinds, node.kind)?.container?.behaviour !== 'filter') continue;
    const body = bodyMembers(plan, kinds, node.id, 'body');
    const ids = new Set(body.map((n) => n.id));
    const slices = body.filter((n) => {
      const spec = specIn(kinds, n.kind);
      return spec?.passes?.some((p) => p.output !== p.input) && !spec.container;
    });
    const asks = slices.some((slice) =>
      plan.wires.some(
        (w) =>
          w.from.node === slice.id &&
          ids.has(w.to.node) &&
          specIn(kinds, plan.nodes.find((n) => n.id === w.to.node)?.kind ?? '')?.leafShape,
      ),
    );
    if (asks) out.push(node.id);
  }
  return out;
}

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en') : 'unbounded');

/** The planner's refusal of a call that could exceed the window: on its node, with the sizes and the fix. */
function refusal(
  plan: Plan,
  kinds: Catalog,
  o: OversizeCall,
  window: number,
  tokenizer: Tokenizer,
  queryTokens: number,
  tauStar: number,
): Diagnostic {
  const node = plan.nodes.find((n) => n.id === o.nodeId);
  const sp = node ? specAndParams(kinds, node) : undefined;
  const name = node ? (node.label ? `${node.kind} "${node.label}"` : `${node.kind} "${node.id}"`) : o.nodeId;
  const shape = sp?.spec.leafShape?.(sp.params, tokenizer);
  const fixed = shape ? shape.fixedTokens + (shape.usesQuery ? queryTokens : 0) : 0;
  const sizes = `${o.bounded ? 'up to ' : ''}${int(o.promptTokens)} prompt tokens and a ${int(o.completionTokens)}-token answer, over the model's ${int(window)}-token window`;
  if (shape && fixed + o.completionTokens >= window)
    return {
      code: 'leaf-window',
      severity: 'error',
      nodeId: o.nodeId,
      param: 'template',
      message: `${name} could be sent ${sizes}: its prompt (${int(fixed)} tokens without its inputs) and its answer (Max tokens) alone do not fit. Shorten the prompt, lower Max tokens, or use a model with a larger window.`,
    };
  if (!o.bounded)
    return {
      code: 'leaf-window',
      severity: 'error',
      nodeId: o.nodeId,
      message: `${name} would be sent ${sizes}. Put a Split before it, so it reads pieces of at most ${int(tauStar)} tokens.`,
      fix: { kind: 'split-before', label: 'Put a Split before it' },
    };
  return {
    code: 'leaf-window',
    severity: 'error',
    nodeId: o.nodeId,
    message: `${name} could be sent ${sizes}: its inputs are other calls' answers, which can add up to that. Lower Max tokens where they come from, combine fewer at once (a Reduce with a body merges two at a time), or use a model with a larger window.`,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The dry run, or no calls at all for a plan that cannot be interpreted (it does not check). */
function dryRun(plan: Plan, kinds: Catalog, options: ConstructorParameters<typeof DryRun>[1]): DryRunResult {
  try {
    return new DryRun(compileProgram(plan, kinds), options).run();
  } catch {
    return {
      cost: ZERO,
      fixDepths: {},
      cuts: [],
      symbolicFilters: [],
      depth: 0,
      unbounded: new Set(),
      oversize: [],
      result: undefined,
    };
  }
}

export { depthFor };

/**
 * The planner (DESIGN §3.4, PAPERS §3): sizes the recursion before any model call and bounds what the
 * run will cost.
 *
 * - n: the input's size in tokens; K: the leaf window (context window − the largest leaf template and
 *   system prompt − the query − the output reserve, which is at least the largest maxTokens).
 * - k rules: flat k* = ⌈n/K⌉; sqrt k* = ⌈√(n/c_⊕)⌉ clamped to [2, 20] (c_⊕: tokens a neural ⊕ reads per
 *   child, its maxTokens); binary k* = 2. auto: flat for a symbolic ⊕, sqrt when some Reduce has a body
 *   that calls the model. When n ≤ K there is nothing to split: k* = 1, τ* = n, d = 0.
 * - τ* = min(K, ⌈n/k*⌉); d = ⌈log_{k*}(n/τ*)⌉, computed as the least d with (k*)^d·τ* ≥ n.
 * - Accuracy bound (per path): (A(τ*)·A_⊕)^d with A(m) = A₀·ρ^{m/K} (A_⊕ = 1 for a symbolic ⊕); with d = 0
 *   it is A(n). While it is below α, k* is raised (flat, sqrt, auto; binary keeps 2), or a note says why
 *   it cannot be met.
 * - Calls: an upper bound from the plan's shape, not a formula for one shape. Every LLM node counts once
 *   per time it can run: a Map or Filter multiplies its body by the length bound of its list, a Reduce with
 *   a body by (length − 1), and a Fix by its recursion: C_d = base, C_i = max(base, step with Self = C_{i+1}),
 *   total C_0. That matches the evaluator, which takes the base case at depth d whatever the size, so a run
 *   never makes more calls than `totalCalls`. List lengths: Split auto → k*, parts → k; size, lines,
 *   records → counted exactly by running the Split when it cuts the input itself and the text is known,
 *   otherwise bounded from the text's length; Filter ≤ its input; Parse list ≤ maxItems; Pairs m(m−1)/2;
 *   Cross m₁·m₂; Const its length.
 */

import type { Plan, PlanNode, PortRef } from '../format/plan.ts';
import { CONTAINER_KINDS, resolveParams } from '../nodes/catalog.ts';
import type { SplitSizing } from '../nodes/node-spec.ts';
import { runSplit } from '../nodes/split.ts';
import { parseTemplate } from '../nodes/template.ts';
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
}

/** Chat formatting around each message (role markers), in tokens. */
const MESSAGE_OVERHEAD = 8;
const SQRT_MAX_K = 20;

/** What the evaluator needs to size Splits and stop Fix recursion. */
export function sizingOf(e: Pick<PlanEstimate, 'kStar' | 'tauStar' | 'depth'>): SplitSizing {
  return { kStar: e.kStar, tauStar: e.tauStar, depth: e.depth };
}

/** The least d ≥ 0 with k^d·τ ≥ n (d = ⌈log_k(n/τ)⌉ without floating-point surprises). */
export function depthFor(n: number, k: number, tau: number): number {
  if (n <= tau || k < 2) return 0;
  let d = 0;
  let reach = tau;
  while (reach < n && d < 64) {
    reach *= k;
    d++;
  }
  return d;
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

/** Calls and tokens, by kind of call. */
interface Cost {
  leaf: number;
  filter: number;
  combine: number;
  prompt: number;
  completion: number;
}
const ZERO: Cost = { leaf: 0, filter: 0, combine: 0, prompt: 0, completion: 0 };
const add = (a: Cost, b: Cost): Cost => ({
  leaf: a.leaf + b.leaf,
  filter: a.filter + b.filter,
  combine: a.combine + b.combine,
  prompt: a.prompt + b.prompt,
  completion: a.completion + b.completion,
});
const times = (a: Cost, m: number): Cost =>
  m === 0
    ? ZERO
    : {
        leaf: a.leaf * m,
        filter: a.filter * m,
        combine: a.combine * m,
        prompt: a.prompt * m,
        completion: a.completion * m,
      };
const max = (a: Cost, b: Cost): Cost => ({
  leaf: Math.max(a.leaf, b.leaf),
  filter: Math.max(a.filter, b.filter),
  combine: Math.max(a.combine, b.combine),
  prompt: Math.max(a.prompt, b.prompt),
  completion: Math.max(a.completion, b.completion),
});

/** Upper bounds on a value: list length, text length in characters and in tokens, and its items'. */
interface Bound {
  size: number;
  chars: number;
  tokens: number;
  item: Bound | null;
}
const UNKNOWN: Bound = { size: Infinity, chars: Infinity, tokens: Infinity, item: null };

type Category = 'leaf' | 'filter' | 'combine';

class CostModel {
  private readonly byId = new Map<string, PlanNode>();
  private readonly incoming = new Map<string, PortRef>();
  private readonly bounds = new Map<string, Bound>();
  private readonly visiting = new Set<string>();
  /** Nodes whose list length could not be bounded. */
  readonly unbounded = new Set<string>();

  constructor(
    readonly plan: Plan,
    readonly n: number,
    readonly inputText: string | undefined,
    readonly queryTokens: number,
    readonly tokenizer: Tokenizer,
    readonly sizing: SplitSizing,
  ) {
    for (const node of plan.nodes) if (!this.byId.has(node.id)) this.byId.set(node.id, node);
    for (const w of plan.wires) this.incoming.set(`${w.to.node}\0${w.to.port}`, w.from);
  }

  params(node: PlanNode) {
    return resolveParams(node.kind, node.params);
  }

  source(nodeId: string, port: string): PortRef | undefined {
    return this.incoming.get(`${nodeId}\0${port}`);
  }

  inFixStep(node: PlanNode): boolean {
    let current: PlanNode | undefined = node;
    for (let guard = 0; current?.parent !== undefined && guard < 100; guard++) {
      const parent = this.byId.get(current.parent);
      if (parent?.kind === 'Fix' && current.slot === 'step') return true;
      current = parent;
    }
    return false;
  }

  boundIn(nodeId: string, port: string): Bound {
    const ref = this.source(nodeId, port);
    return ref ? this.bound(ref) : UNKNOWN;
  }

  bound(ref: PortRef): Bound {
    const key = `${ref.node}\0${ref.port}`;
    const cached = this.bounds.get(key);
    if (cached) return cached;
    if (this.visiting.has(key)) return UNKNOWN;
    this.visiting.add(key);
    const b = this.computeBound(ref);
    this.visiting.delete(key);
    this.bounds.set(key, b);
    return b;
  }

  private text(chars: number, tokens: number): Bound {
    return { size: 1, chars, tokens, item: null };
  }

  private computeBound(ref: PortRef): Bound {
    const node = this.byId.get(ref.node);
    if (!node) return UNKNOWN;
    const p = this.params(node);
    switch (node.kind) {
      case 'Input':
        return this.text(this.inputText?.length ?? this.n * 4, this.n);
      case 'Query':
        return this.text(Infinity, this.queryTokens);
      case 'Const': {
        const v = p.value;
        if (Array.isArray(v)) return { size: v.length, chars: Infinity, tokens: Infinity, item: UNKNOWN };
        if (typeof v === 'string') return this.text(v.length, this.tokenizer.count(v));
        return UNKNOWN;
      }
      case 'Peek': {
        const input = this.boundIn(node.id, 'text');
        const start = Number(p.start);
        const end = p.end === null ? null : Number(p.end);
        const span = end !== null && start >= 0 && end >= 0 ? Math.max(0, end - start) : Infinity;
        const chars = Math.min(input.chars, span);
        return this.text(chars, Math.min(input.tokens, chars));
      }
      case 'Split':
        return this.splitBound(node, p);
      case 'Concat': {
        const items = this.boundIn(node.id, 'items');
        const item = items.item ?? UNKNOWN;
        return this.text(items.size * item.chars, items.size * item.tokens);
      }
      case 'LLM': {
        const out = Number(p.maxTokens);
        return this.text(Infinity, out);
      }
      case 'Parse':
        return p.as === 'list'
          ? { size: Number(p.maxItems), chars: Infinity, tokens: Infinity, item: UNKNOWN }
          : UNKNOWN;
      case 'Pairs': {
        const m = this.boundIn(node.id, 'items').size;
        return { size: (m * (m - 1)) / 2, chars: Infinity, tokens: Infinity, item: UNKNOWN };
      }
      case 'Cross': {
        const m = this.boundIn(node.id, 'left').size * this.boundIn(node.id, 'right').size;
        return { size: m, chars: Infinity, tokens: Infinity, item: UNKNOWN };
      }
      case 'Map': {
        const items = this.boundIn(node.id, 'items');
        const exit = this.exitOf(node, 'body');
        return {
          size: items.size,
          chars: Infinity,
          tokens: Infinity,
          item: exit ? this.boundIn(exit.id, 'result') : UNKNOWN,
        };
      }
      case 'Filter':
        return this.boundIn(node.id, 'items');
      case 'Entry': {
        const container = node.parent === undefined ? undefined : this.byId.get(node.parent);
        if (!container) return UNKNOWN;
        if (container.kind === 'Map' || container.kind === 'Filter' || container.kind === 'Reduce')
          return this.boundIn(container.id, 'items').item ?? UNKNOWN;
        if (container.kind === 'Fix') {
          const whole = this.boundIn(container.id, 'text');
          // The base case sees a leaf piece once the recursion runs, the step case at most the whole.
          if (node.slot === 'base' && this.sizing.depth > 0)
            return this.text(
              whole.chars,
              Math.min(
                whole.tokens,
                Math.max(this.sizing.tauStar, Math.ceil(whole.tokens / this.sizing.kStar)),
              ),
            );
          return whole;
        }
        return UNKNOWN;
      }
      case 'Self': {
        return this.fixResultBound(node);
      }
      case 'Fix': {
        const exit = this.exitOf(node, 'base');
        return exit ? this.boundIn(exit.id, 'result') : UNKNOWN;
      }
      case 'Reduce': {
        const items = this.boundIn(node.id, 'items');
        const item = items.item ?? UNKNOWN;
        if (p.op === 'concat' || p.op === 'dedupe')
          return this.text(items.size * item.chars, items.size * item.tokens);
        if (p.op === 'union')
          return {
            size: items.size * (item.size ?? Infinity),
            chars: Infinity,
            tokens: Infinity,
            item: item.item,
          };
        return item;
      }
      default:
        return UNKNOWN;
    }
  }

  private fixResultBound(self: PlanNode): Bound {
    let current: PlanNode | undefined = self;
    for (let guard = 0; current?.parent !== undefined && guard < 100; guard++) {
      const parent = this.byId.get(current.parent);
      if (parent?.kind === 'Fix') return this.bound({ node: parent.id, port: 'result' });
      current = parent;
    }
    return UNKNOWN;
  }

  private splitBound(node: PlanNode, p: Record<string, unknown>): Bound {
    const input = this.boundIn(node.id, 'text');
    const inStep = this.inFixStep(node);
    const k = this.sizing.kStar;
    let count: number;
    const source = this.source(node.id, 'text');
    const cutsInput =
      source !== undefined && this.byId.get(source.node)?.kind === 'Input' && node.parent === undefined;
    if (p.mode === 'auto' || p.mode === undefined) count = Math.max(1, k);
    else if (p.mode === 'parts') count = Number(p.parts);
    else if (cutsInput && this.inputText !== undefined) {
      count = runSplit(this.inputText, p, {
        sizing: this.sizing,
        tokenizer: this.tokenizer,
        inFixStep: false,
      }).parts.length;
    } else {
      const L = input.chars;
      if (p.mode === 'size')
        count = Math.ceil(((p.unit === 'chars' ? 2 : 6) * L) / Math.max(1, Number(p.size))) + 1;
      else if (p.mode === 'lines') count = Math.ceil((L + 1) / Math.max(1, Number(p.lines)));
      else
        count = Math.ceil((L / Math.max(1, String(p.delimiter).length) + 1) / Math.max(1, Number(p.records)));
      if (!Number.isFinite(count)) this.unbounded.add(node.id);
    }
    // In a Fix step a Split that would not cut falls back to k* parts (see runSplit).
    if (Number.isNaN(count)) count = Number.POSITIVE_INFINITY;
    if (inStep) count = Math.max(count, 2, k);
    const cutsByCount = p.mode === 'auto' || p.mode === undefined || p.mode === 'parts';
    const pieceTokens = cutsByCount
      ? Math.ceil(input.tokens / Math.max(1, count))
      : p.mode === 'size'
        ? Math.min(input.tokens, Number(p.size))
        : input.tokens;
    return {
      size: count,
      chars: Infinity,
      tokens: Infinity,
      item: { size: 1, chars: input.chars, tokens: pieceTokens, item: null },
    };
  }

  exitOf(container: PlanNode, slot: string): PlanNode | undefined {
    return this.plan.nodes.find(
      (n) => n.parent === container.id && (n.slot ?? 'body') === slot && n.kind === 'Exit',
    );
  }

  bodyNodes(container: PlanNode, slot: string): PlanNode[] {
    return this.plan.nodes.filter((n) => n.parent === container.id && (n.slot ?? 'body') === slot);
  }

  /** Worst-case cost of one run of a scope (top level: container undefined). */
  scopeCost(
    container: PlanNode | undefined,
    slot: string,
    category: Category,
    selfCost: Map<string, Cost>,
    depth = 0,
  ): Cost {
    if (depth > 64) return ZERO;
    const nodes = container
      ? this.bodyNodes(container, slot)
      : this.plan.nodes.filter((n) => n.parent === undefined);
    let total = ZERO;
    for (const node of nodes) total = add(total, this.nodeCost(node, category, selfCost, depth));
    return total;
  }

  private lengthOf(nodeId: string, port: string): number {
    const size = this.boundIn(nodeId, port).size;
    if (!Number.isFinite(size)) this.unbounded.add(nodeId);
    return size;
  }

  nodeCost(node: PlanNode, category: Category, selfCost: Map<string, Cost>, depth: number): Cost {
    const p = this.params(node);
    switch (node.kind) {
      case 'LLM': {
        const chunk = this.source(node.id, 'chunk') ? this.boundIn(node.id, 'chunk').tokens : 0;
        let named = 0;
        for (const v of parseTemplate(String(p.template)).variables)
          if (v !== 'chunk' && v !== 'query') named += this.boundIn(node.id, v).tokens;
        const fixed =
          this.tokenizer.count(parseTemplate(String(p.template)).fixedText) +
          this.tokenizer.count(String(p.system ?? '')) +
          2 * MESSAGE_OVERHEAD +
          (parseTemplate(String(p.template)).variables.includes('query') ? this.queryTokens : 0);
        const prompt = fixed + (Number.isFinite(chunk) ? chunk : 0) + (Number.isFinite(named) ? named : 0);
        return { ...ZERO, [category]: 1, prompt, completion: Number(p.maxTokens) };
      }
      case 'Map': {
        const m = this.lengthOf(node.id, 'items');
        return times(this.scopeCost(node, 'body', category, selfCost, depth + 1), finite(m));
      }
      case 'Filter': {
        const m = this.lengthOf(node.id, 'items');
        return times(this.scopeCost(node, 'body', 'filter', selfCost, depth + 1), finite(m));
      }
      case 'Reduce': {
        if (p.op !== 'body') return ZERO;
        const m = this.lengthOf(node.id, 'items');
        return times(
          this.scopeCost(node, 'body', 'combine', selfCost, depth + 1),
          Math.max(0, finite(m) - 1),
        );
      }
      case 'Fix': {
        const base = this.scopeCost(node, 'base', category, selfCost, depth + 1);
        let level = base; // C_d
        for (let i = this.sizing.depth - 1; i >= 0; i--) {
          const inner = new Map(selfCost);
          inner.set(node.id, level);
          // What a step asks of the model besides recursing (Self) is its ⊕: counted as combine calls.
          level = max(base, this.scopeCost(node, 'step', 'combine', inner, depth + 1));
        }
        return level;
      }
      case 'Self': {
        let current: PlanNode | undefined = node;
        for (let guard = 0; current?.parent !== undefined && guard < 100; guard++) {
          const parent = this.byId.get(current.parent);
          if (parent?.kind === 'Fix') return selfCost.get(parent.id) ?? ZERO;
          current = parent;
        }
        return ZERO;
      }
      default:
        return ZERO;
    }
  }
}

/** A usable count: unbounded (already noted) and nonsense (a plan that does not check) count as 0. */
const finite = (m: number) => (Number.isFinite(m) && m > 0 ? m : 0);

/**
 * Whether the plan combines with the model (a neural ⊕): an LLM in a Reduce body, or in a Fix step (a
 * step that merges its pieces' results with a call). `perChild`: the largest answer such a merge reads
 * per child, the maxTokens of the plan's other LLM nodes.
 */
function neuralCombine(plan: Plan): { neural: boolean; perChild: number; readsAll: boolean } {
  const combiners = new Set<string>();
  const inReduce = new Set<string>();
  for (const node of plan.nodes)
    if (node.kind === 'Reduce' && resolveParams('Reduce', node.params).op === 'body')
      for (const n of descendants(plan, node.id, 'body')) inReduce.add(n.id);
  for (const node of plan.nodes) {
    const p = resolveParams(node.kind, node.params);
    const owns =
      (node.kind === 'Reduce' && p.op === 'body') || node.kind === 'Fix'
        ? descendants(plan, node.id, node.kind === 'Fix' ? 'step' : 'body')
        : [];
    for (const n of owns) if (n.kind === 'LLM') combiners.add(n.id);
  }
  let perChild = 0;
  for (const n of plan.nodes)
    if (n.kind === 'LLM' && !combiners.has(n.id))
      perChild = Math.max(perChild, Number(resolveParams('LLM', n.params).maxTokens) || 0);
  if (perChild === 0)
    for (const n of plan.nodes)
      if (n.kind === 'LLM')
        perChild = Math.max(perChild, Number(resolveParams('LLM', n.params).maxTokens) || 0);
  // A step's own LLM (not a pairwise Reduce body) reads all k* children at once.
  const readsAll = [...combiners].some((id) => !inReduce.has(id));
  return { neural: combiners.size > 0, perChild: Math.max(1, perChild), readsAll };
}

/** Nodes inside one body of a container, at any depth (nested Fix bases excluded: they are leaves). */
function descendants(plan: Plan, id: string, slot: string): PlanNode[] {
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
        if (CONTAINER_KINDS.includes(n.kind)) frontier.push(n.id);
      }
  }
  return out;
}

/** Tokens the largest leaf prompt spends on its fixed parts (template text, system prompt, formatting). */
function templateTokens(
  plan: Plan,
  tokenizer: Tokenizer,
): { fixed: number; usesQuery: boolean; maxOut: number } {
  let fixed = 0;
  let usesQuery = false;
  let maxOut = 0;
  const llms = plan.nodes.filter((n) => n.kind === 'LLM');
  const chunked = llms.filter((n) =>
    parseTemplate(String(resolveParams('LLM', n.params).template)).variables.includes('chunk'),
  );
  for (const n of chunked.length > 0 ? chunked : llms) {
    const p = resolveParams('LLM', n.params);
    const t = parseTemplate(String(p.template));
    fixed = Math.max(
      fixed,
      tokenizer.count(t.fixedText) + tokenizer.count(String(p.system ?? '')) + 2 * MESSAGE_OVERHEAD,
    );
    usesQuery ||= t.variables.includes('query');
  }
  for (const n of llms) maxOut = Math.max(maxOut, Number(resolveParams('LLM', n.params).maxTokens) || 0);
  return { fixed, usesQuery, maxOut };
}

export function estimate(plan: Plan, options: EstimateOptions): PlanEstimate {
  const tokenizer = options.tokenizer ?? estimateTokenizer;
  const settings = plan.planner;
  const notes: string[] = [];
  const n = Math.max(0, Math.round(options.inputTokens ?? tokenizer.count(options.inputText ?? '')));
  const query = options.query ?? plan.query;
  const window = settings.contextWindow ?? options.contextWindow;
  const tpl = templateTokens(plan, tokenizer);
  const queryTokens = tokenizer.count(query);
  const reserve = Math.max(settings.outputReserve, tpl.maxOut);
  const rawK = window - tpl.fixed - (tpl.usesQuery ? queryTokens : 0) - reserve;
  const K = Math.max(1, rawK);
  if (rawK < 64)
    notes.push(
      `The leaf window is only ${rawK} tokens (context ${window} − template ${tpl.fixed} − query ${tpl.usesQuery ? queryTokens : 0} − answer reserve ${reserve}): shorten the prompts or use a model with a larger window.`,
    );

  const combine = neuralCombine(plan);
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
  if (n <= K)
    notes.push(`The input (${n} tokens) fits the leaf window (${K}): no split, one pass of the base case.`);
  else if (s.bound < settings.alpha && kRule !== 'binary') {
    const startK = s.kStar;
    const limit = Math.max(startK, Math.min(n, mergeCap, Math.max(100, Math.ceil(n / K) * 8)));
    let kk = startK;
    while (s.bound < settings.alpha && kk < limit) {
      kk++;
      s = size(n, K, kk, acc);
    }
    if (s.kStar !== startK && s.bound >= settings.alpha)
      notes.push(
        `k* raised from ${startK} to ${s.kStar} so the accuracy bound reaches α = ${settings.alpha}.`,
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

  const sizing = { kStar: s.kStar, tauStar: s.tauStar, depth: s.depth };
  const model = new CostModel(plan, n, options.inputText, queryTokens, tokenizer, sizing);
  const cost = model.scopeCost(undefined, 'body', 'leaf', new Map());
  const bounded = model.unbounded.size === 0;
  if (!bounded)
    notes.push(
      `The number of calls cannot be bounded before the run: the length of the list at ${[...model.unbounded].join(', ')} is unknown.`,
    );
  const totalCalls = cost.leaf + cost.filter + cost.combine;
  const budgets = settings.budgets;
  if (budgets.maxCalls !== undefined && totalCalls > budgets.maxCalls)
    notes.push(
      `Up to ${totalCalls} calls may be needed, over the budget of ${budgets.maxCalls}: the run may stop early.`,
    );
  if (budgets.maxTokens !== undefined && cost.prompt + cost.completion > budgets.maxTokens)
    notes.push(
      `Up to ${cost.prompt + cost.completion} tokens may be needed, over the budget of ${budgets.maxTokens}: the run may stop early.`,
    );

  return {
    n,
    K,
    kRule,
    kStar: s.kStar,
    tauStar: s.tauStar,
    depth: s.depth,
    leafCalls: cost.leaf,
    filterCalls: cost.filter,
    combineCalls: cost.combine,
    totalCalls,
    ...(bounded ? {} : { bounded: false }),
    promptTokens: Math.round(cost.prompt),
    completionTokens: Math.round(cost.completion),
    accuracyBound: s.bound,
    alpha: settings.alpha,
    meetsTarget: s.bound >= settings.alpha,
    tokenizer: tokenizer.name,
    notes,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

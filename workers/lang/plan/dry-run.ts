/**
 * The planner's dry run: the plan interpreted before the run, on the actual input when the planner has it.
 * Every symbolic node whose inputs are known runs for real (its `compute`), so a Split of the input gives
 * its actual pieces, a Match filter keeps what it will keep, and a Fix recurses exactly as it will. What
 * depends on a model's answer is known only by its bounds (each kind's `bound`), and every model call a
 * node would make is counted from its `calls`, with the prompt's actual size where the prompt is known.
 * So the call count is exact for what the input decides and an upper bound for what answers decide, and
 * a run never makes more calls than it says (a property test holds the evaluator to it).
 *
 * Containers are interpreted here by behaviour, as the evaluator does (map, filter, fold, fix; Self
 * re-enters its Fix). Never throws: a node that cannot be computed becomes "unknown", and a list whose
 * length is unknown is reported as unbounded.
 */
import type { Slot } from '../format/plan.ts';
import type { Catalog } from '../nodes/catalog.ts';
import { readingOrder } from '../nodes/find.ts';
import type {
  Bound,
  ComputeContext,
  PlanContext,
  Planned,
  PlannedCall,
  SplitSizing,
  Value,
} from '../nodes/node-spec.ts';
import { isOneCodePoint } from '../nodes/split-text.ts';
import type { Body, Program, ProgramNode } from '../run/program.ts';
import { depthFor } from './depth.ts';
import type { Tokenizer } from './tokenizer.ts';

export const UNKNOWN: Bound = { size: Infinity, chars: Infinity, tokens: Infinity, item: null };

/** Which part of N̂ a model call belongs to. */
export type CallPart = 'leaf' | 'filter' | 'combine' | 'repair';

/** Calls and tokens by part: upper bounds, and what is expected where that is less. */
export interface Cost {
  leaf: number;
  filter: number;
  combine: number;
  repair: number;
  prompt: number;
  completion: number;
  expectedCalls: number;
  expectedPrompt: number;
  expectedCompletion: number;
}

export const ZERO: Cost = {
  leaf: 0,
  filter: 0,
  combine: 0,
  repair: 0,
  prompt: 0,
  completion: 0,
  expectedCalls: 0,
  expectedPrompt: 0,
  expectedCompletion: 0,
};

const FIELDS = Object.keys(ZERO) as (keyof Cost)[];

export function addCost(a: Cost, b: Cost): Cost {
  const out = { ...a };
  for (const f of FIELDS) out[f] = a[f] + b[f];
  return out;
}

export function timesCost(a: Cost, m: number): Cost {
  if (m === 0) return ZERO;
  const out = { ...a };
  for (const f of FIELDS) out[f] = a[f] * m;
  return out;
}

/** The bounds of `worst` with the expected figures of `expected`. */
function withExpected(worst: Cost, expected: Cost): Cost {
  return {
    ...worst,
    expectedCalls: expected.expectedCalls,
    expectedPrompt: expected.expectedPrompt,
    expectedCompletion: expected.expectedCompletion,
  };
}

/** Reads a Find expects to make when it takes the model's concurrency (which the planner does not know). */
const FIND_FIRST_ROUND = 4;

function maxCost(a: Cost, b: Cost): Cost {
  const out = { ...a };
  for (const f of FIELDS) out[f] = Math.max(a[f], b[f]);
  return out;
}

/** A model call the plan may make that does not fit the window. */
export interface OversizeCall {
  nodeId: string;
  promptTokens: number;
  completionTokens: number;
  /** True when the prompt's size is a bound (it holds a model's answer), not the size of a known prompt. */
  bounded: boolean;
}

export interface DryRunOptions {
  /** The input P, when the planner has it; else its size in tokens. */
  input?: string;
  n: number;
  tokenizer: Tokenizer;
  query: string;
  queryTokens: number;
  sizing: SplitSizing;
  /** The model's context window: a call whose prompt and answer could exceed it is reported. */
  window: number;
  kinds: Catalog;
}

export interface DryRunResult {
  cost: Cost;
  /** The deepest level each Fix's recursion goes on this input (what the evaluator may go to). */
  fixDepths: Record<string, number>;
  /** Filters that dropped some pieces by symbolic rules before any model saw them: kept of how many. */
  symbolicFilters: { nodeId: string; kept: number; of: number }[];
  /** The pieces each cut made of a known text, in the order they ran (the first of each node only). */
  cuts: { nodeId: string; pieces: number; inFixStep: boolean }[];
  /** The deepest Fix recursion the run takes (1 for the first step). */
  depth: number;
  /** Nodes whose list length could not be bounded. */
  unbounded: Set<string>;
  oversize: OversizeCall[];
  /** The plan's result, when it does not depend on a model's answer. */
  result: Planned | undefined;
}

type Outputs = Record<string, Planned>;

interface Frame {
  parent: Frame | null;
  values: Map<string, Outputs>;
  /** The innermost Fix application around this frame, and the part its base case's calls count towards. */
  fix: { fixId: string; level: number; part: Frame['part'] } | null;
  inFixStep: boolean;
  /** Which part the model calls made in this frame count towards. */
  part: Exclude<CallPart, 'repair'>;
}

/**
 * A model's answer is bounded in the model's tokens (its maxTokens); the estimate may count the same text
 * as more (it counts conservatively, and a model token can be a long word). A Fix over an answer is
 * followed as deep as this many estimate tokens per answer token would need.
 */
const ANSWER_TOKEN_FACTOR = 4;

/** Items of a known list of at most this many are followed one by one; past it, by their bounds. */
const MAX_FOLLOWED_ITEMS = 20_000;
/** Recursion levels followed one by one (a Fix that halves its P reaches 2^40 tokens). */
const MAX_LEVELS = 40;

/** Bounds of a known value. */
export function boundOf(value: Value | undefined, tokenizer: Tokenizer): Bound {
  if (typeof value === 'string')
    return { size: 1, chars: value.length, tokens: tokenizer.count(value), item: null };
  if (Array.isArray(value)) {
    let item: Bound | null = null;
    for (const v of value) item = joinBound(item, boundOf(v as Value, tokenizer));
    return { size: value.length, chars: Infinity, tokens: Infinity, item };
  }
  if (value === undefined) return UNKNOWN;
  const text = JSON.stringify(value) ?? '';
  return { size: 1, chars: text.length, tokens: tokenizer.count(text), item: null };
}

/** The least bound above both. */
export function joinBound(a: Bound | null, b: Bound | null): Bound | null {
  if (!a) return b;
  if (!b) return a;
  return {
    size: Math.max(a.size, b.size),
    chars: Math.max(a.chars, b.chars),
    tokens: Math.max(a.tokens, b.tokens),
    ...(a.expected !== undefined || b.expected !== undefined
      ? { expected: Math.max(a.expected ?? a.tokens, b.expected ?? b.tokens) }
      : {}),
    item: joinBound(a.item, b.item),
  };
}

const known = (value: Value, tokenizer: Tokenizer): Planned => ({ value, bound: boundOf(value, tokenizer) });

/** A count that is usable: unbounded (reported) and nonsense (a plan that does not check) count as 0. */
const finite = (m: number) => (Number.isFinite(m) && m > 0 ? m : 0);

export class DryRun {
  readonly unbounded = new Set<string>();
  readonly oversize: OversizeCall[] = [];
  readonly cuts: DryRunResult['cuts'] = [];
  /** Filters that dropped pieces before the run, on the planner's own reading of the input. */
  readonly symbolicFilters = new Map<string, { nodeId: string; kept: number; of: number }>();
  private deepest = 0;
  /** Abstract Fix levels already costed: (fix, level) → cost and result. */
  private readonly abstractLevels = new Map<string, { cost: Cost; result: Planned }>();
  private steps = 0;
  /** For a Fix whose P is known only by its bounds: the level its recursion is followed down to. */
  private readonly abstractCaps = new Map<string, number>();
  /** The deepest level each Fix's recursion goes (its steps' levels + 1). */
  readonly fixDepths = new Map<string, number>();

  /**
   * How deep the evaluator may take each Fix: where P was known, the depth followed; where P was known only
   * by its bounds (a model's answer), the generous depth its largest size could need, since a cut by parts
   * halves characters, not tokens, and the bounds cannot say where the tokens sit.
   */
  private allowedFixDepths(): Record<string, number> {
    const out = Object.fromEntries(this.fixDepths);
    for (const [fixId, cap] of this.abstractCaps) out[fixId] = Math.max(out[fixId] ?? 0, cap);
    return out;
  }

  private noteDepth(fixId: string, depth: number): void {
    this.fixDepths.set(fixId, Math.max(this.fixDepths.get(fixId) ?? 0, depth));
  }

  constructor(
    private readonly program: Program,
    private readonly o: DryRunOptions,
  ) {}

  run(): DryRunResult {
    const top: Frame = {
      parent: null,
      values: new Map(),
      fix: null,
      inFixStep: false,
      part: 'leaf',
    };
    const cost = this.body(this.program.top, top);
    const out = this.program.output;
    const result = out ? this.input(out, top, 'value') : undefined;
    return {
      cost,
      cuts: this.cuts,
      fixDepths: this.allowedFixDepths(),
      symbolicFilters: [...this.symbolicFilters.values()],
      depth: this.deepest,
      unbounded: this.unbounded,
      oversize: this.oversize,
      result,
    };
  }

  private body(body: Body, frame: Frame): Cost {
    let total = ZERO;
    for (const pn of body.order) total = addCost(total, this.node(pn, frame));
    return total;
  }

  private input(pn: ProgramNode, frame: Frame, port: string): Planned | undefined {
    const ref = pn.inputs.get(port);
    if (!ref) return undefined;
    for (let f: Frame | null = frame; f; f = f.parent) {
      const values = f.values.get(ref.node);
      if (values) return values[ref.port] ?? { bound: UNKNOWN };
    }
    return { bound: UNKNOWN };
  }

  private inputs(pn: ProgramNode, frame: Frame): Record<string, Planned> {
    const out: Record<string, Planned> = {};
    for (const port of pn.inputs.keys()) {
      const v = this.input(pn, frame, port);
      if (v) out[port] = v;
    }
    return out;
  }

  private planContext(pn: ProgramNode, frame: Frame): PlanContext {
    return {
      nodeId: pn.node.id,
      tokenizer: this.o.tokenizer,
      query: this.o.query,
      queryTokens: this.o.queryTokens,
      sizing: this.o.sizing,
      inFixStep: frame.inFixStep,
    };
  }

  private node(pn: ProgramNode, frame: Frame): Cost {
    // Pathological plans (a deep recursion over a huge known input) are costed by bounds past this.
    if (++this.steps > 500_000) {
      frame.values.set(pn.node.id, {});
      return ZERO;
    }
    const { node, spec } = pn;
    switch (spec.role) {
      case 'input': {
        const text = this.o.input;
        frame.values.set(node.id, {
          text:
            text !== undefined
              ? { value: text, bound: { size: 1, chars: text.length, tokens: this.o.n, item: null } }
              : { bound: { size: 1, chars: this.o.n * 4, tokens: this.o.n, item: null } },
        });
        return ZERO;
      }
      case 'entry':
      case 'exit':
        return ZERO;
      case 'self':
        return this.self(pn, frame);
    }
    const container = spec.container;
    if (container && !safe(() => container.bodyless?.(pn.params), null)) {
      switch (container.behaviour) {
        case 'map':
        case 'filter':
          return this.items(pn, frame, container.behaviour);
        case 'find':
          return this.find(pn, frame);
        case 'fold':
          return this.fold(pn, frame);
        case 'fix':
          return this.fixNode(pn, frame);
      }
    }
    return this.plain(pn, frame);
  }

  /** A kind with its own semantics: computed when its inputs are known, else bounded; its calls counted. */
  private plain(pn: ProgramNode, frame: Frame): Cost {
    const { node, spec } = pn;
    const inputs = this.inputs(pn, frame);
    const ctx = this.planContext(pn, frame);
    const allKnown = Object.values(inputs).every((v) => v.value !== undefined);
    let outputs: Outputs | undefined;
    let computeFailed = false;
    if (allKnown && spec.compute) {
      const values: Record<string, Value> = {};
      for (const [port, v] of Object.entries(inputs)) values[port] = v.value as Value;
      try {
        const out = spec.compute(values, pn.params, this.computeContext(pn, frame));
        outputs = {};
        for (const [port, v] of Object.entries(out)) outputs[port] = known(v, this.o.tokenizer);
        const cut = spec.pieces ? out[spec.pieces.output] : undefined;
        if (Array.isArray(cut) && !this.cuts.some((c) => c.nodeId === node.id))
          this.cuts.push({ nodeId: node.id, pieces: cut.length, inFixStep: frame.inFixStep });
      } catch {
        computeFailed = true;
      }
    }
    if (!outputs) {
      const bounds = spec.bound ? safe(() => spec.bound?.(inputs, pn.params, ctx), undefined) : undefined;
      outputs = {};
      for (const [port, b] of Object.entries(bounds ?? {})) outputs[port] = { bound: b };
    }
    frame.values.set(node.id, outputs);
    let cost = ZERO;
    // A kind that calls the model only when its computation fails (Parse's repair) says so in `calls`.
    if (spec.calls && (!spec.compute || computeFailed || !allKnown)) {
      const calls = safe(() => spec.calls?.(inputs, pn.params, ctx), []) ?? [];
      for (const call of calls) cost = addCost(cost, this.call(pn, frame, call, allKnown, computeFailed));
    }
    return cost;
  }

  private call(
    pn: ProgramNode,
    frame: Frame,
    call: PlannedCall,
    promptKnown: boolean,
    failed: boolean,
  ): Cost {
    const part: CallPart = call.part ?? frame.part;
    const prompt = finiteOr(call.promptTokens, 0);
    const completion = finiteOr(call.completionTokens, 0);
    if (call.promptTokens + call.completionTokens > this.o.window && call.part !== 'repair')
      this.noteOversize(pn, call, !promptKnown);
    const expected =
      call.expected && !failed
        ? call.expected
        : { calls: 1, promptTokens: prompt, completionTokens: completion };
    return {
      ...ZERO,
      [part]: 1,
      prompt,
      completion,
      expectedCalls: expected.calls,
      expectedPrompt: expected.promptTokens,
      expectedCompletion: expected.completionTokens,
    };
  }

  private noteOversize(pn: ProgramNode, call: PlannedCall, bounded: boolean): void {
    const seen = this.oversize.find((o) => o.nodeId === pn.node.id);
    if (seen) {
      if (call.promptTokens > seen.promptTokens) {
        seen.promptTokens = call.promptTokens;
        seen.bounded = bounded;
      }
      return;
    }
    this.oversize.push({
      nodeId: pn.node.id,
      promptTokens: call.promptTokens,
      completionTokens: call.completionTokens,
      bounded,
    });
  }

  private computeContext(pn: ProgramNode, frame: Frame): ComputeContext {
    return {
      nodeId: pn.node.id,
      query: this.o.query,
      tokenizer: this.o.tokenizer,
      sizing: this.o.sizing,
      inFixStep: frame.inFixStep,
      inputSpan: () => null,
      recordSpans: () => {},
    };
  }

  private child(frame: Frame, patch: Partial<Frame> = {}): Frame {
    return {
      parent: frame,
      values: new Map(),
      fix: frame.fix,
      inFixStep: frame.inFixStep,
      part: frame.part,
      ...patch,
    };
  }

  private bodyOf(pn: ProgramNode, slot: Slot): Body | undefined {
    const body = this.program.body(pn.node.id, slot);
    return body?.entry && body.exit ? body : undefined;
  }

  private entryPort(body: Body, fallback: string): string {
    return (
      body.entry?.spec.ports(body.entry.node, this.program.plan, this.o.kinds).outputs[0]?.name ?? fallback
    );
  }

  private exitValue(body: Body, frame: Frame): Planned {
    const port = body.exit?.inputs.keys().next();
    if (!body.exit || !port || port.done) return { bound: UNKNOWN };
    return this.input(body.exit, frame, port.value) ?? { bound: UNKNOWN };
  }

  /** Map and Filter: the body on each known item, or once on the item's bound times the list's bound. */
  private items(pn: ProgramNode, frame: Frame, behaviour: 'map' | 'filter'): Cost {
    const { node } = pn;
    const items = this.input(pn, frame, 'items') ?? { bound: UNKNOWN };
    const body = this.bodyOf(pn, 'body');
    const out = behaviour === 'map' ? 'results' : 'kept';
    if (!body) {
      frame.values.set(node.id, { [out]: { bound: UNKNOWN } });
      return ZERO;
    }
    const entryPort = this.entryPort(body, 'item');
    const part = behaviour === 'filter' ? 'filter' : frame.part;
    if (Array.isArray(items.value) && items.value.length <= MAX_FOLLOWED_ITEMS) {
      const list = items.value as Value[];
      let cost = ZERO;
      const results: Planned[] = [];
      for (const item of list) {
        const inner = this.child(frame, { part });
        inner.values.set(body.entry!.node.id, { [entryPort]: known(item, this.o.tokenizer) });
        cost = addCost(cost, this.body(body, inner));
        results.push(this.exitValue(body, inner));
      }
      if (behaviour === 'map') {
        frame.values.set(node.id, {
          results: results.every((r) => r.value !== undefined)
            ? known(
                results.map((r) => r.value as Value),
                this.o.tokenizer,
              )
            : {
                bound: {
                  size: list.length,
                  chars: Infinity,
                  tokens: Infinity,
                  item: results.reduce<Bound | null>((b, r) => joinBound(b, r.bound), null),
                },
              },
        });
      } else {
        let kept: Planned = { bound: items.bound };
        if (results.every((r) => r.value !== undefined)) {
          const chosen = list.filter((_, i) => results[i]?.value === true);
          // Keeping nothing, the Filter's policy decides (as the evaluator does).
          const policy = pn.params.ifNoneKept;
          kept =
            chosen.length === 0 && list.length > 0 && policy !== 'none' && policy !== 'error'
              ? items
              : known(chosen, this.o.tokenizer);
          if (chosen.length < list.length && !this.symbolicFilters.has(node.id))
            this.symbolicFilters.set(node.id, { nodeId: node.id, kept: chosen.length, of: list.length });
        }
        frame.values.set(node.id, { kept });
      }
      return cost;
    }
    const { m, cost, result } = this.onEveryItem(pn, frame, body, items, { part });
    frame.values.set(node.id, {
      [out]:
        behaviour === 'map'
          ? { bound: { size: m, chars: Infinity, tokens: Infinity, item: result.bound } }
          : { bound: items.bound },
    });
    return timesCost(cost, finite(m));
  }

  /**
   * Find: at worst the body on every item (no item answers). What is expected is the first round of reads,
   * as many items as go at once (its concurrency; 4 where it takes the model's, which the planner does not
   * know), the most promising first: a run stops there when one of them answers.
   */
  private find(pn: ProgramNode, frame: Frame): Cost {
    const { node } = pn;
    const items = this.input(pn, frame, 'items') ?? { bound: UNKNOWN };
    const body = this.bodyOf(pn, 'body');
    if (!body) {
      frame.values.set(node.id, { result: { bound: UNKNOWN } });
      return ZERO;
    }
    const entryPort = this.entryPort(body, 'item');
    const own = Number(pn.params.concurrency);
    const firstRound = Number.isFinite(own) && own >= 1 ? Math.floor(own) : FIND_FIRST_ROUND;
    if (Array.isArray(items.value) && items.value.length <= MAX_FOLLOWED_ITEMS) {
      const list = items.value as Value[];
      const order = readingOrder(list, this.o.query, pn.params);
      let worst = ZERO;
      let expected = ZERO;
      let result: Bound | null = null;
      order.forEach((i, at) => {
        const inner = this.child(frame, {});
        inner.values.set(body.entry!.node.id, { [entryPort]: known(list[i] as Value, this.o.tokenizer) });
        const cost = this.body(body, inner);
        worst = addCost(worst, cost);
        if (at < firstRound) expected = addCost(expected, cost);
        result = joinBound(result, this.exitValue(body, inner).bound);
      });
      frame.values.set(node.id, { result: { bound: result ?? UNKNOWN } });
      return withExpected(worst, expected);
    }
    const { m, cost, result } = this.onEveryItem(pn, frame, body, items, {});
    frame.values.set(node.id, { result });
    return withExpected(timesCost(cost, finite(m)), timesCost(cost, Math.min(finite(m), firstRound)));
  }

  /** A container's body once on the bound of its items (a list known only by its bounds): its cost per item. */
  private onEveryItem(
    pn: ProgramNode,
    frame: Frame,
    body: Body,
    items: Planned,
    patch: Partial<Frame>,
  ): { m: number; cost: Cost; result: Planned } {
    const m = items.bound.size;
    if (!Number.isFinite(m)) this.unbounded.add(pn.node.id);
    const inner = this.child(frame, patch);
    inner.values.set(body.entry!.node.id, {
      [this.entryPort(body, 'item')]: { bound: items.bound.item ?? UNKNOWN },
    });
    return { m, cost: this.body(body, inner), result: this.exitValue(body, inner) };
  }

  /** A fold: n − 1 steps of the body; its calls count as combine calls. */
  private fold(pn: ProgramNode, frame: Frame): Cost {
    const { node } = pn;
    const items = this.input(pn, frame, 'items') ?? { bound: UNKNOWN };
    const body = this.bodyOf(pn, 'body');
    if (!body) {
      frame.values.set(node.id, { result: { bound: UNKNOWN } });
      return ZERO;
    }
    const ports = body.entry!.spec.ports(body.entry!.node, this.program.plan, this.o.kinds).outputs;
    const [left = 'left', right = 'right'] = ports.map((p) => p.name);
    const m = Array.isArray(items.value) ? items.value.length : items.bound.size;
    if (!Number.isFinite(m)) this.unbounded.add(node.id);
    const itemBound = Array.isArray(items.value)
      ? boundOf(items.value as Value, this.o.tokenizer).item
      : items.bound.item;
    const inner = this.child(frame, { part: 'combine' });
    const acc: Planned = { bound: itemBound ?? UNKNOWN };
    inner.values.set(body.entry!.node.id, { [left]: acc, [right]: acc });
    const cost = this.body(body, inner);
    const result = this.exitValue(body, inner);
    frame.values.set(node.id, { result: { bound: joinBound(result.bound, itemBound) ?? UNKNOWN } });
    return timesCost(cost, Math.max(0, finite(m) - 1));
  }

  private fixNode(pn: ProgramNode, frame: Frame): Cost {
    const text = this.input(pn, frame, 'text') ?? { bound: UNKNOWN };
    const { cost, result } = this.invokeFix(pn, text, 0, frame, frame.part);
    frame.values.set(pn.node.id, { result });
    return cost;
  }

  private self(pn: ProgramNode, frame: Frame): Cost {
    const fix = this.program.nodes.get(pn.fixId ?? '');
    const level = frame.fix && frame.fix.fixId === pn.fixId ? frame.fix.level : -1;
    if (!fix || !frame.fix || level < 0) {
      frame.values.set(pn.node.id, { result: { bound: UNKNOWN } });
      return ZERO;
    }
    const text = this.input(pn, frame, 'text') ?? { bound: UNKNOWN };
    const { cost, result } = this.invokeFix(fix, text, level + 1, frame, frame.fix.part);
    frame.values.set(pn.node.id, { result });
    return cost;
  }

  /**
   * One application of a Fix. On a known P: the base body when it fits (tokens ≤ τ*), else the step body,
   * whose Self nodes recurse on their actual pieces. On a P known only by its bounds: the most the
   * recursion can cost from this level, C_d = base and C_i = max(base, step with Self = C_{i+1}).
   */
  private invokeFix(
    fix: ProgramNode,
    text: Planned,
    level: number,
    frame: Frame,
    part: Frame['part'],
  ): { cost: Cost; result: Planned } {
    const base = this.bodyOf(fix, 'base');
    const step = this.bodyOf(fix, 'step');
    if (!base || !step) return { cost: ZERO, result: { bound: UNKNOWN } };
    const { tauStar } = this.o.sizing;
    const known = typeof text.value === 'string';
    const tokens = known ? this.o.tokenizer.count(text.value as string) : text.bound.tokens;
    // A P known only by its bounds (a model's answer) is followed down to the depth where pieces of its
    // largest size would fit, counted generously (see ANSWER_TOKEN_FACTOR); the evaluator stops there.
    if (!known && !this.abstractCaps.has(fix.node.id))
      this.abstractCaps.set(
        fix.node.id,
        level + depthFor(tokens * ANSWER_TOKEN_FACTOR, 2, Math.max(1, tauStar)),
      );
    const cap = this.abstractCaps.get(fix.node.id);
    // As the evaluator: the base case only on a P that fits τ* (or one character, which cannot be cut).
    const useBase =
      tokens <= tauStar ||
      level >= MAX_LEVELS ||
      (known && isOneCodePoint(text.value as string)) ||
      (!known && cap !== undefined && level >= cap);
    if (!useBase) this.noteDepth(fix.node.id, level + 1);
    if (known || useBase) {
      if (!useBase) this.deepest = Math.max(this.deepest, level + 1);
      const body = useBase ? base : step;
      const inner = this.child(frame, {
        fix: { fixId: fix.node.id, level, part },
        inFixStep: !useBase || frame.inFixStep,
        part: useBase ? part : 'combine',
      });
      inner.values.set(body.entry!.node.id, { [this.entryPort(body, 'text')]: text });
      const cost = this.body(body, inner);
      return { cost, result: this.exitValue(body, inner) };
    }
    // Known only by bounds: cost the worst of base and step at this level, once per level.
    const key = `${fix.node.id}\0${level}`;
    const cached = this.abstractLevels.get(key);
    if (cached) return cached;
    this.deepest = Math.max(this.deepest, level + 1);
    const baseFrame = this.child(frame, {
      fix: { fixId: fix.node.id, level, part },
      inFixStep: frame.inFixStep,
      part,
    });
    baseFrame.values.set(base.entry!.node.id, {
      [this.entryPort(base, 'text')]: {
        bound: { ...text.bound, tokens: Math.min(text.bound.tokens, tauStar) },
      },
    });
    const baseCost = this.body(base, baseFrame);
    const stepFrame = this.child(frame, {
      fix: { fixId: fix.node.id, level, part },
      inFixStep: true,
      part: 'combine',
    });
    stepFrame.values.set(step.entry!.node.id, { [this.entryPort(step, 'text')]: text });
    const stepCost = this.body(step, stepFrame);
    const result = this.exitValue(base, baseFrame);
    const out = { cost: maxCost(baseCost, stepCost), result };
    this.abstractLevels.set(key, out);
    return out;
  }
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

const finiteOr = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback);

/**
 * The type checker (docs/language.md, "Typing rules"). Given any document it reports every problem it can find, each
 * naming the node and port, what was expected and what arrived; and it types every port for the editor.
 * It never throws, however malformed the input: a plan is untrusted.
 *
 * Rules, in the order they are checked:
 * - structure: unique ids; children of a container sit in a slot the container has (Map/Filter/Reduce:
 *   body, Reduce only with ⊕ = body; Fix: base and step), each body has exactly one Entry and one Exit;
 *   Entry/Exit only in bodies, Self only in a Fix step, Output only at the top level; exactly one Output;
 * - parameters (the catalog), template placeholders;
 * - wires: both ends and ports exist; one wire per input; a value flows into a body from around it but
 *   never out of a body (except through the container's output); required inputs are wired;
 * - no cycles (a container's output depends on its whole body);
 * - types: unification with variables over the whole graph; an Entry's and Exit's variables are their
 *   container's, a Self's are its Fix's;
 * - Reduce with vote/best/body on a list that may be empty needs a unit;
 * - termination: a Self's input must be a piece of a Split (auto or parts) of its Fix's own P.
 */

import { loadPlan } from '../format/load.ts';
import type { Plan, PlanNode, PortRef, Wire } from '../format/plan.ts';
import { catalog as builtinCatalog, type Catalog, resolveParams, validateParams } from '../nodes/catalog.ts';
import type { CheckContext, NodeSpec, PortSpec } from '../nodes/node-spec.ts';
import { estimateTokenizer, type Tokenizer } from '../plan/tokenizer.ts';
import type { Diagnostic, DiagnosticCode } from './diagnostics.ts';
import type { Type } from './types.ts';
import { Substitution, scoped, showChecked } from './unify.ts';

export type PortTypes = Record<string, Record<string, string>>;

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Every port's type, written out (`List<Str>`), by node id then port name (inputs and outputs). */
  portTypes: PortTypes;
}

const MAX_DIAGNOSTICS = 500;

export interface CheckOptions {
  /** The kinds the plan may use: the built-in catalog unless a test brings its own. */
  catalog?: Catalog;
  /**
   * The model's context window, for the rules that need it (a prompt template larger than the window);
   * the plan's own `planner.contextWindow` when absent.
   */
  contextWindow?: number;
  tokenizer?: Tokenizer;
}

export function check(plan: unknown, options: CheckOptions = {}): CheckResult {
  try {
    const kinds = options.catalog ?? builtinCatalog;
    const loaded = loadPlan(plan, { catalog: kinds });
    if (!loaded.ok) return { diagnostics: loaded.diagnostics, portTypes: {} };
    return analyse(loaded.plan, kinds, options).result();
  } catch (e) {
    return {
      diagnostics: [
        {
          code: 'schema',
          severity: 'error',
          message: `the checker could not read this plan (${e instanceof Error ? e.message : String(e)})`,
        },
      ],
      portTypes: {},
    };
  }
}

export const hasErrors = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.some((d) => d.severity === 'error');

interface Ports {
  inputs: PortSpec[];
  outputs: PortSpec[];
}

/** The graph as the checker understands it; connect.ts reuses it to test a wire before it is made. */
export class Analysis {
  readonly nodes = new Map<string, PlanNode>();
  readonly ports = new Map<string, Ports>();
  readonly subst = new Substitution();
  readonly diagnostics: Diagnostic[] = [];
  /** The wire into each input (`node\0port`), for wires that passed the structural checks. */
  readonly incoming = new Map<string, Wire>();
  readonly validWires: Wire[] = [];
  /** Dataflow edges between vertices (`id`, or `id:in` / `id:out` for containers). */
  readonly edges = new Map<string, string[]>();
  /** Nodes whose structure is broken; later rules skip them rather than pile up follow-on errors. */
  readonly broken = new Set<string>();
  private readonly typeCache = new Map<string, Type>();

  /** The model's window and tokenizer, for the rules that need them. */
  window: number | undefined;
  tokenizer: Tokenizer = estimateTokenizer;

  constructor(
    readonly plan: Plan,
    readonly kinds: Catalog = builtinCatalog,
  ) {}

  /** The node's spec (every node of a loaded plan has a known kind). */
  spec(node: PlanNode): NodeSpec | undefined {
    return Object.hasOwn(this.kinds, node.kind) ? this.kinds[node.kind] : undefined;
  }

  /** Whether the node runs bodies (a container that, with its params, has them). */
  hasBodies(node: PlanNode): boolean {
    const c = this.spec(node)?.container;
    return !!c && !c.bodyless?.(resolveParams(this.spec(node) as NodeSpec, node.params));
  }

  /** The nearest container around a node whose behaviour is `fix`, and the slot it sits in. */
  enclosingFix(node: PlanNode): { fix: PlanNode; slot: string } | undefined {
    const seen = new Set<string>();
    let current: PlanNode | undefined = node;
    while (current?.parent !== undefined && !seen.has(current.id)) {
      seen.add(current.id);
      const parent = this.nodes.get(current.parent);
      if (!parent) return undefined;
      if (this.spec(parent)?.container?.behaviour === 'fix')
        return { fix: parent, slot: current.slot ?? 'body' };
      current = parent;
    }
    return undefined;
  }

  report(
    code: DiagnosticCode,
    message: string,
    extra: Partial<Diagnostic> = {},
    severity: 'error' | 'warning' = 'error',
  ) {
    if (this.diagnostics.length < MAX_DIAGNOSTICS)
      this.diagnostics.push({ code, severity, message, ...extra });
  }

  name(node: PlanNode | undefined, fallback = '?'): string {
    if (!node) return `"${fallback}"`;
    return node.label ? `${node.kind} "${node.label}"` : `${node.kind} "${node.id}"`;
  }

  isContainer(node: PlanNode): boolean {
    return this.spec(node)?.container !== undefined;
  }

  /** Which body a node sits in: '' at the top level, else `container/slot`. */
  scopeOf(node: PlanNode): string {
    return node.parent === undefined ? '' : `${node.parent}/${node.slot ?? 'body'}`;
  }

  /** The node's scope and every scope around it. */
  enclosingScopes(node: PlanNode): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    let current: PlanNode | undefined = node;
    while (current && !seen.has(current.id)) {
      seen.add(current.id);
      out.push(this.scopeOf(current));
      current = current.parent === undefined ? undefined : this.nodes.get(current.parent);
    }
    if (out.at(-1) !== '') out.push('');
    return out;
  }

  varPrefix(node: PlanNode): string {
    const scope = this.spec(node)?.typeScope;
    if (scope === 'container' && node.parent !== undefined && this.nodes.has(node.parent)) return node.parent;
    if (scope === 'recursion') return this.enclosingFix(node)?.fix.id ?? node.id;
    return node.id;
  }

  portsOf(node: PlanNode): Ports {
    let p = this.ports.get(node.id);
    if (!p) {
      try {
        const spec = this.spec(node);
        p = spec ? spec.ports(node, this.plan, this.kinds) : { inputs: [], outputs: [] };
      } catch {
        p = { inputs: [], outputs: [] };
      }
      this.ports.set(node.id, p);
    }
    return p;
  }

  /** The (scoped) type of a port, or undefined when the node has no such port. */
  portType(nodeId: string, port: string, dir: 'in' | 'out'): Type | undefined {
    const key = `${nodeId}\0${port}\0${dir}`;
    const cached = this.typeCache.get(key);
    if (cached) return cached;
    const node = this.nodes.get(nodeId);
    if (!node) return undefined;
    const ports = this.portsOf(node);
    const spec = (dir === 'in' ? ports.inputs : ports.outputs).find((p) => p.name === port);
    if (!spec) return undefined;
    const t = scoped(spec.type, this.varPrefix(node));
    this.typeCache.set(key, t);
    return t;
  }

  vertexIn(node: PlanNode): string {
    return this.isContainer(node) ? `${node.id}:in` : node.id;
  }

  vertexOut(node: PlanNode): string {
    return this.isContainer(node) ? `${node.id}:out` : node.id;
  }

  addEdge(from: string, to: string) {
    const list = this.edges.get(from);
    if (list) list.push(to);
    else this.edges.set(from, [to]);
  }

  /** Whether `to` can be reached from `from` along dataflow edges. */
  reaches(from: string, to: string): boolean {
    const seen = new Set<string>([from]);
    const stack = [from];
    while (stack.length > 0) {
      const v = stack.pop() as string;
      if (v === to) return true;
      for (const w of this.edges.get(v) ?? []) {
        if (!seen.has(w)) {
          seen.add(w);
          stack.push(w);
        }
      }
    }
    return false;
  }

  result(): CheckResult {
    const portTypes: PortTypes = {};
    for (const node of this.nodes.values()) {
      const types: Record<string, string> = {};
      const ports = this.portsOf(node);
      for (const p of ports.outputs) types[p.name] = this.shown(node.id, p.name, 'out');
      for (const p of ports.inputs) types[p.name] = this.shown(node.id, p.name, 'in');
      portTypes[node.id] = types;
    }
    return { diagnostics: this.diagnostics, portTypes };
  }

  shown(nodeId: string, port: string, dir: 'in' | 'out'): string {
    const t = this.portType(nodeId, port, dir);
    return t ? showChecked(this.subst.resolve(t)) : '?';
  }
}

/** Runs every rule over a loaded plan. */
export function analyse(
  plan: Plan,
  kinds: Catalog = builtinCatalog,
  options: Pick<CheckOptions, 'contextWindow' | 'tokenizer'> = {},
): Analysis {
  const a = new Analysis(plan, kinds);
  a.window = options.contextWindow ?? plan.planner.contextWindow;
  a.tokenizer = options.tokenizer ?? estimateTokenizer;
  checkIds(a);
  checkStructure(a);
  checkParams(a);
  checkWires(a);
  checkMissingInputs(a);
  buildGraph(a);
  const order = checkCycles(a);
  checkTypes(a, order);
  checkKinds(a);
  checkTermination(a);
  checkOutput(a);
  return a;
}

function checkIds(a: Analysis) {
  for (const node of a.plan.nodes) {
    if (a.nodes.has(node.id))
      a.report('schema', `two nodes have the id "${node.id}"; ids must be unique`, { nodeId: node.id });
    else a.nodes.set(node.id, node);
  }
  const wireIds = new Set<string>();
  for (const w of a.plan.wires) {
    if (wireIds.has(w.id))
      a.report('duplicate-wire', `two wires have the id "${w.id}"`, { nodeId: w.to.node, port: w.to.port });
    wireIds.add(w.id);
  }
}

function checkStructure(a: Analysis) {
  for (const node of a.nodes.values()) {
    const placement = a.spec(node)?.placement;
    if (node.parent !== undefined) {
      const parent = a.nodes.get(node.parent);
      const slot = node.slot ?? 'body';
      if (!parent) {
        a.report('container', `${a.name(node)} is inside "${node.parent}", which does not exist`, {
          nodeId: node.id,
        });
        a.broken.add(node.id);
        continue;
      }
      const container = a.spec(parent)?.container;
      if (!container) {
        a.report('container', `${a.name(node)} is inside ${a.name(parent)}, which is not a container`, {
          nodeId: node.id,
        });
        a.broken.add(node.id);
        continue;
      }
      if (!(container.slots as readonly string[]).includes(slot)) {
        a.report(
          'container',
          `${a.name(parent)} has no "${slot}" body (it has ${container.slots.join(' and ')})`,
          {
            nodeId: node.id,
          },
        );
        a.broken.add(node.id);
        continue;
      }
      const bodyless = container.bodyless?.(resolveParams(a.spec(parent) as NodeSpec, parent.params));
      if (bodyless) {
        a.report('container', `${a.name(node)} is in the body of ${a.name(parent)}, but ${bodyless}`, {
          nodeId: node.id,
        });
        a.broken.add(node.id);
        continue;
      }
      if (placement === 'top') {
        a.report('container', `${a.name(node)} must be at the top level, not inside a body`, {
          nodeId: node.id,
        });
        a.broken.add(node.id);
      }
    } else if (placement === 'body') {
      a.report('container', `${a.name(node)} belongs inside a container's body`, { nodeId: node.id });
      a.broken.add(node.id);
    }
    if (placement === 'recursion') {
      const fix = a.enclosingFix(node);
      const recursive = fix ? (a.spec(fix.fix)?.container?.slots.at(-1) ?? 'step') : 'step';
      if (!fix) {
        a.report(
          'container',
          `${a.name(node)} is the recursive call of a Fix, so it must be inside a Fix step`,
          {
            nodeId: node.id,
          },
        );
        a.broken.add(node.id);
      } else if (fix.slot !== recursive) {
        a.report(
          'termination',
          `${a.name(node)} is in the base case of ${a.name(fix.fix)}: the base case must not recurse, or the recursion would never stop`,
          { nodeId: node.id, path: [fix.fix.id, node.id] },
        );
        a.broken.add(node.id);
      }
    }
  }
  // Each body: exactly one Entry and one Exit.
  const children = new Map<string, PlanNode[]>();
  for (const n of a.nodes.values()) {
    if (n.parent === undefined) continue;
    const list = children.get(n.parent);
    if (list) list.push(n);
    else children.set(n.parent, [n]);
  }
  for (const node of a.nodes.values()) {
    const container = a.spec(node)?.container;
    if (!container || !a.hasBodies(node)) continue;
    for (const slot of container.slots) {
      const inside = (children.get(node.id) ?? []).filter((n) => (n.slot ?? 'body') === slot);
      for (const role of ['entry', 'exit'] as const) {
        const found = inside.filter((n) => a.spec(n)?.role === role);
        const kind = roleKind(a, role);
        const where = container.behaviour === 'fix' ? `${slot} case` : 'body';
        if (found.length === 0)
          a.report('container', `the ${where} of ${a.name(node)} has no ${kind}`, { nodeId: node.id });
        else if (found.length > 1)
          for (const extra of found.slice(1)) {
            a.report('container', `the ${where} of ${a.name(node)} has more than one ${kind}`, {
              nodeId: extra.id,
            });
            a.broken.add(extra.id);
          }
      }
    }
  }
}

/** The kind that plays a role in this catalog (Entry, Exit), for messages. */
function roleKind(a: Analysis, role: string): string {
  return Object.values(a.kinds).find((s) => s.role === role)?.kind ?? role;
}

function checkParams(a: Analysis) {
  for (const node of a.nodes.values()) {
    const spec = a.spec(node);
    if (!spec) continue;
    for (const d of validateParams(spec, node.params, node.id)) {
      a.report(
        d.code,
        d.message,
        { nodeId: node.id, ...(d.param !== undefined ? { param: d.param } : {}) },
        d.severity,
      );
    }
  }
}

function checkWires(a: Analysis) {
  for (const w of a.plan.wires) {
    const from = a.nodes.get(w.from.node);
    const to = a.nodes.get(w.to.node);
    if (!from || !to) {
      const missing = !from ? w.from.node : w.to.node;
      a.report('dangling-wire', `wire "${w.id}" connects to "${missing}", which does not exist`, {
        ...(from ? { nodeId: from.id, port: w.from.port } : to ? { nodeId: to.id, port: w.to.port } : {}),
      });
      continue;
    }
    const outPorts = a.portsOf(from).outputs;
    const inPorts = a.portsOf(to).inputs;
    if (!outPorts.some((p) => p.name === w.from.port)) {
      a.report(
        'unknown-port',
        `${a.name(from)} has no output "${w.from.port}"${outPorts.length ? ` (outputs: ${outPorts.map((p) => p.name).join(', ')})` : ' (it has no outputs)'}`,
        { nodeId: from.id, port: w.from.port },
      );
      continue;
    }
    if (!inPorts.some((p) => p.name === w.to.port)) {
      a.report(
        'unknown-port',
        `${a.name(to)} has no input "${w.to.port}"${inPorts.length ? ` (inputs: ${inPorts.map((p) => p.name).join(', ')})` : ' (it has no inputs)'}`,
        { nodeId: to.id, port: w.to.port },
      );
      continue;
    }
    if (!a.enclosingScopes(to).includes(a.scopeOf(from))) {
      a.report(
        'container',
        `${a.name(from)} is inside a body that ${a.name(to)} is not in: a value leaves a body only through its container's output`,
        { nodeId: to.id, port: w.to.port, path: [from.id, to.id] },
      );
      continue;
    }
    const key = `${to.id}\0${w.to.port}`;
    if (a.incoming.has(key)) {
      a.report('duplicate-wire', `${a.name(to)} input "${w.to.port}" has more than one wire`, {
        nodeId: to.id,
        port: w.to.port,
      });
      continue;
    }
    a.incoming.set(key, w);
    a.validWires.push(w);
  }
}

function checkMissingInputs(a: Analysis) {
  for (const node of a.nodes.values()) {
    if (a.broken.has(node.id)) continue;
    for (const port of a.portsOf(node).inputs) {
      if (port.optional || a.incoming.has(`${node.id}\0${port.name}`)) continue;
      if (port.fromTemplate)
        a.report(
          'template-variable',
          `the prompt of ${a.name(node)} uses {{${port.name}}} but nothing is wired to that input`,
          {
            nodeId: node.id,
            port: port.name,
            param: 'template',
          },
        );
      else
        a.report('missing-input', `${a.name(node)} needs its input "${port.name}"`, {
          nodeId: node.id,
          port: port.name,
          expected: a.shown(node.id, port.name, 'in'),
        });
    }
  }
}

function buildGraph(a: Analysis) {
  for (const w of a.validWires) {
    const from = a.nodes.get(w.from.node) as PlanNode;
    const to = a.nodes.get(w.to.node) as PlanNode;
    a.addEdge(a.vertexOut(from), a.vertexIn(to));
  }
  for (const node of a.nodes.values()) {
    if (a.isContainer(node)) a.addEdge(`${node.id}:in`, `${node.id}:out`);
    const parent = node.parent === undefined ? undefined : a.nodes.get(node.parent);
    if (parent && a.isContainer(parent)) {
      // A body runs after its container's inputs arrive, and the container's output waits for the body.
      if (a.spec(node)?.role === 'entry') a.addEdge(`${parent.id}:in`, node.id);
      a.addEdge(a.vertexOut(node), `${parent.id}:out`);
    }
  }
}

const nodeOfVertex = (v: string) => v.replace(/:(in|out)$/, '');

/** Reports wire cycles; returns a topological rank of vertices (cycles broken arbitrarily). */
function checkCycles(a: Analysis): Map<string, number> {
  const vertices = new Set<string>();
  for (const node of a.nodes.values()) {
    vertices.add(a.vertexIn(node));
    vertices.add(a.vertexOut(node));
  }
  const colour = new Map<string, 0 | 1 | 2>();
  const rank = new Map<string, number>();
  const post: string[] = [];
  let reported = 0;
  for (const root of vertices) {
    if (colour.get(root)) continue;
    // Iterative DFS keeping the current path, so a cycle can be shown node by node.
    const path: string[] = [];
    const iters: number[] = [];
    colour.set(root, 1);
    path.push(root);
    iters.push(0);
    while (path.length > 0) {
      const v = path[path.length - 1] as string;
      const next = a.edges.get(v) ?? [];
      const i = iters[iters.length - 1] as number;
      if (i < next.length) {
        iters[iters.length - 1] = i + 1;
        const w = next[i] as string;
        const c = colour.get(w) ?? 0;
        if (c === 0) {
          colour.set(w, 1);
          path.push(w);
          iters.push(0);
        } else if (c === 1 && reported < 10) {
          reported++;
          const cycle = path.slice(path.indexOf(w)).map(nodeOfVertex);
          const ids = cycle.filter((id, k) => id !== cycle[k - 1]);
          const first = a.nodes.get(ids[0] as string);
          a.report(
            'cycle',
            `these nodes feed each other in a loop: ${ids.join(' → ')} → ${ids[0]}. Only a Fix may recurse (through Self)`,
            { ...(first ? { nodeId: first.id } : {}), path: ids },
          );
        }
      } else {
        colour.set(v, 2);
        post.push(v);
        path.pop();
        iters.pop();
      }
    }
  }
  for (const [i, v] of post.reverse().entries()) rank.set(v, i);
  return rank;
}

function checkTypes(a: Analysis, rank: Map<string, number>) {
  const wires = [...a.validWires].sort((x, y) => {
    const fx = a.nodes.get(x.from.node) as PlanNode;
    const fy = a.nodes.get(y.from.node) as PlanNode;
    return (rank.get(a.vertexOut(fx)) ?? 0) - (rank.get(a.vertexOut(fy)) ?? 0);
  });
  for (const w of wires) {
    const out = a.portType(w.from.node, w.from.port, 'out');
    const inn = a.portType(w.to.node, w.to.port, 'in');
    if (!out || !inn) continue;
    if (!a.subst.unify(out, inn)) {
      const expected = showChecked(a.subst.resolve(inn));
      const actual = showChecked(a.subst.resolve(out));
      a.report(
        'type-mismatch',
        `${a.name(a.nodes.get(w.to.node))} input "${w.to.port}" expects ${expected}, but ${a.name(a.nodes.get(w.from.node))} output "${w.from.port}" gives ${actual}`,
        { nodeId: w.to.node, port: w.to.port, expected, actual },
      );
    }
  }
}

/** Whether the list arriving on `ref` (an output) may be empty at run time. Conservative: unknown → yes. */
export function mayBeEmpty(a: Analysis, ref: PortRef, depth = 0): boolean {
  if (depth > 100) return true;
  const node = a.nodes.get(ref.node);
  const spec = node ? a.spec(node) : undefined;
  if (!node || !spec?.mayBeEmpty) return true;
  const input = (port: string): boolean => {
    const from = a.incoming.get(`${node.id}\0${port}`)?.from;
    return from ? mayBeEmpty(a, from, depth + 1) : true;
  };
  try {
    return spec.mayBeEmpty(resolveParams(spec, node.params), input);
  } catch {
    return true;
  }
}

/** Each kind's own rules (`check` in its spec), on nodes whose structure is sound. */
function checkKinds(a: Analysis) {
  for (const node of a.nodes.values()) {
    const spec = a.spec(node);
    if (!spec?.check || a.broken.has(node.id)) continue;
    const ctx: CheckContext = {
      node,
      params: resolveParams(spec, node.params),
      plan: a.plan,
      kinds: a.kinds,
      wired: (port) => a.incoming.has(`${node.id}\0${port}`),
      mayBeEmpty: (port) => {
        const from = a.incoming.get(`${node.id}\0${port}`)?.from;
        return from ? mayBeEmpty(a, from) : true;
      },
      name: (id) => a.name(a.nodes.get(id), id),
      shown: (port, dir) => a.shown(node.id, port, dir),
      ...(a.window !== undefined ? { window: a.window } : {}),
      tokenizer: a.tokenizer,
    };
    let problems: ReturnType<NonNullable<NodeSpec['check']>>;
    try {
      problems = spec.check(ctx);
    } catch (e) {
      problems = [
        {
          code: 'invalid-param',
          message: `${a.name(node)} could not be checked (${e instanceof Error ? e.message : String(e)})`,
        },
      ];
    }
    for (const p of problems)
      a.report(
        p.code,
        p.message,
        {
          nodeId: node.id,
          ...(p.port !== undefined ? { port: p.port } : {}),
          ...(p.param !== undefined ? { param: p.param } : {}),
          ...(p.expected !== undefined ? { expected: p.expected } : {}),
        },
        p.severity ?? 'error',
      );
  }
}

/**
 * A Self's input must be a piece of its Fix's own P: walking back from the Self through what passes pieces
 * along unchanged (an item container's item, a kind's `passes`), it must reach a kind's `pieces` output
 * that shrinks, whose input comes (again through `passes`) from the Fix's recursive Entry.
 */
function checkTermination(a: Analysis) {
  for (const self of a.nodes.values()) {
    if (a.spec(self)?.role !== 'self' || a.broken.has(self.id)) continue;
    const fix = a.enclosingFix(self);
    if (!fix) continue;
    const path: string[] = [self.id];
    const fail = (why: string) =>
      a.report(
        'termination',
        `${a.name(self)} ${why}. A recursive call must get a piece of its Fix's P cut by a Split, so every call is smaller and the recursion ends`,
        { nodeId: self.id, port: 'text', path: [...path].reverse() },
      );
    let ref = a.incoming.get(`${self.id}\0text`)?.from;
    let cut: PlanNode | undefined;
    for (let guard = 0; ref && guard < 1000 && !cut; guard++) {
      const node = a.nodes.get(ref.node);
      if (!node) break;
      path.push(node.id);
      const spec = a.spec(node);
      const passed = spec?.passes?.find((p) => p.output === ref?.port);
      if (spec?.pieces && spec.pieces.output === ref.port) cut = node;
      else if (spec?.role === 'entry' && itemContainer(a, node)) {
        const container = itemContainer(a, node) as PlanNode;
        path.push(container.id);
        ref = a.incoming.get(`${container.id}\0items`)?.from;
      } else if (passed) ref = a.incoming.get(`${node.id}\0${passed.input}`)?.from;
      else {
        fail(`gets its input from ${a.name(node)}, not from a Split`);
        break;
      }
    }
    // An unwired input on the way is reported as a missing input already.
    if (!ref || !cut) continue;
    const pieces = a.spec(cut)?.pieces;
    if (!pieces) continue;
    const why = pieces.shrinks(resolveParams(a.spec(cut) as NodeSpec, cut.params));
    if (why) {
      fail(`is fed by ${a.name(cut)}, which ${why}`);
      continue;
    }
    // The cut must be of this Fix's own P (its recursive body's Entry), possibly through a slice.
    let p = a.incoming.get(`${cut.id}\0${pieces.input}`)?.from;
    for (let guard = 0; p && guard < 1000; guard++) {
      const node = a.nodes.get(p.node);
      if (!node) break;
      path.push(node.id);
      const passed = a.spec(node)?.passes?.find((x) => x.output === p?.port);
      if (passed) p = a.incoming.get(`${node.id}\0${passed.input}`)?.from;
      else break;
    }
    const origin = p ? a.nodes.get(p.node) : undefined;
    const ok =
      origin !== undefined &&
      a.spec(origin)?.role === 'entry' &&
      origin.parent === fix.fix.id &&
      (origin.slot ?? 'body') === fix.slot;
    if (!ok && p)
      fail(
        `is fed by ${a.name(cut)}, which splits ${a.name(origin)} rather than the P of ${a.name(fix.fix)} (its step's Entry)`,
      );
  }
}

/** The container of an Entry when that container hands its body items of a list (map, filter, find). */
function itemContainer(a: Analysis, entry: PlanNode): PlanNode | undefined {
  const container = entry.parent === undefined ? undefined : a.nodes.get(entry.parent);
  const behaviour = container ? a.spec(container)?.container?.behaviour : undefined;
  return behaviour === 'map' || behaviour === 'filter' || behaviour === 'find' ? container : undefined;
}

function checkOutput(a: Analysis) {
  const outputs = [...a.nodes.values()].filter((n) => a.spec(n)?.role === 'result');
  if (outputs.length === 0)
    a.report('output', 'the plan has no Output node: add one and wire the result into it');
  for (const extra of outputs.slice(1))
    a.report(
      'output',
      `the plan has more than one Output; keep one (the result is the value of a single Output)`,
      {
        nodeId: extra.id,
      },
    );
}

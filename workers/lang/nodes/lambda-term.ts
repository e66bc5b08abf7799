/**
 * The plan written as a λ-term, for reading: each body is a λ over its Entry, each node a `let`, a Fix is
 * `fix (λself. λP. if |P| ≤ τ* then base else step)`. Each kind says how it reads (`term` in its spec);
 * this file lays the lets out. It is a view of the document, not something that is parsed or run.
 * Unwired inputs print as `?`, so an incomplete plan still reads.
 */
import type { Plan, PlanNode, Wire } from '../format/plan.ts';
import { catalog as builtinCatalog, type Catalog, specIn } from './catalog.ts';
import type { TermContext } from './node-spec.ts';

type Scope = { parent: string | undefined; slot: string | undefined };

const ident = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

function literal(v: unknown): string {
  if (typeof v === 'string') {
    const one = v.length > 48 ? `${v.slice(0, 48)}…` : v;
    return JSON.stringify(one);
  }
  return JSON.stringify(v) ?? 'null';
}

export function planToTerm(plan: Plan, kinds: Catalog = builtinCatalog): string {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const into = new Map<string, Wire[]>();
  for (const w of plan.wires) {
    const list = into.get(w.to.node) ?? [];
    list.push(w);
    into.set(w.to.node, list);
  }
  const spec = (n: PlanNode) => specIn(kinds, n.kind);
  const inScope = (s: Scope) =>
    plan.nodes.filter(
      (n) => n.parent === s.parent && (s.parent === undefined || (n.slot ?? 'body') === s.slot),
    );

  /** Name of the value on a wire's source: the node, or for a body's Entry its argument (P for a Fix's). */
  const source = (w: Wire): string => {
    const n = byId.get(w.from.node);
    if (!n) return '?';
    if (spec(n)?.role === 'entry') return w.from.port === 'text' ? 'P' : ident(w.from.port);
    return ident(n.id);
  };

  const firstInput = (n: PlanNode): string | undefined => {
    try {
      return spec(n)?.ports(n, plan, kinds).inputs[0]?.name;
    } catch {
      return undefined;
    }
  };

  /** One wire into the node's first input reads bare (` x`); anything else as ` {port = x, …}`. */
  const args = (n: PlanNode): string => {
    const ws = into.get(n.id) ?? [];
    if (ws.length === 0) return '';
    if (ws.length === 1 && ws[0]!.to.port === firstInput(n)) return ` ${source(ws[0]!)}`;
    return ` {${ws.map((w) => `${w.to.port} = ${source(w)}`).join(', ')}}`;
  };

  /** Nodes of a scope in dependency order (ties by document order); a cycle is printed as it stands. */
  const order = (nodes: PlanNode[]): PlanNode[] => {
    const ids = new Set(nodes.map((n) => n.id));
    const done = new Set<string>();
    const out: PlanNode[] = [];
    const visit = (n: PlanNode, trail: Set<string>) => {
      if (done.has(n.id) || trail.has(n.id)) return;
      trail.add(n.id);
      for (const w of into.get(n.id) ?? []) {
        const m = byId.get(w.from.node);
        if (m && ids.has(m.id)) visit(m, trail);
      }
      done.add(n.id);
      out.push(n);
    };
    for (const n of nodes) visit(n, new Set());
    return out;
  };

  const body = (container: PlanNode, slot: string, indent: string): string => {
    const nodes = inScope({ parent: container.id, slot });
    const entry = nodes.find((n) => spec(n)?.role === 'entry');
    const exit = nodes.find((n) => spec(n)?.role === 'exit');
    const structural = (n: PlanNode) => spec(n)?.role === 'entry' || spec(n)?.role === 'exit';
    const lets = order(nodes.filter((n) => !structural(n))).map(
      (n) => `${indent}  let ${ident(n.id)} = ${expr(n, `${indent}  `)}`,
    );
    const exitWire = exit ? (into.get(exit.id) ?? [])[0] : undefined;
    const result = exitWire ? source(exitWire) : '?';
    if (spec(container)?.container?.behaviour === 'fix')
      return lets.length ? `\n${lets.join('\n')}\n${indent}  in ${result}` : result;
    let params = '_';
    if (entry) {
      try {
        const names = spec(entry)
          ?.ports(entry, plan, kinds)
          .outputs.map((p) => (p.name === 'text' ? 'P' : ident(p.name)));
        if (names && names.length > 0) params = names.join(' ');
      } catch {
        // An entry whose ports cannot be computed reads as `_`.
      }
    }
    return `(λ${params}.${lets.length ? `\n${lets.join('\n')}\n${indent}  in ${result})` : ` ${result})`}`;
  };

  const expr = (n: PlanNode, indent: string): string => {
    const s = spec(n);
    const nested = s?.container?.behaviour === 'fix' ? `${indent}  ` : indent;
    const ctx: TermContext = {
      args: args(n),
      literal,
      body: (slot) => body(n, slot, nested),
      indent,
    };
    try {
      if (s?.term) return s.term(n, ctx);
    } catch {
      // A kind that cannot render these params reads by its name.
    }
    return `${n.kind.toLowerCase()}${ctx.args}`;
  };

  const top = order(inScope({ parent: undefined, slot: undefined }));
  const outputs = top.filter((n) => spec(n)?.role === 'result');
  const lets = top
    .filter((n) => spec(n)?.role !== 'result')
    .map((n) => `let ${ident(n.id)} = ${expr(n, '')}`);
  const results = outputs.map((o) => {
    const w = (into.get(o.id) ?? [])[0];
    return w ? source(w) : '?';
  });
  const header = `-- ${plan.name}`;
  if (plan.nodes.length === 0) return `${header}\n-- (empty: add nodes from the palette)`;
  return [header, ...lets, `in ${results.length ? results.join(', ') : '?'}`].join('\n');
}

/**
 * The plan written as a λ-term, for reading (DESIGN §1): each body is a λ over its Entry, each node a
 * `let`, a Fix is `fix (λself. λP. if |P| ≤ τ* then base else step)`. It is a view of the document, not
 * something that is parsed or run. Unwired inputs print as `?`, so an incomplete plan still reads.
 */
import type { Plan, PlanNode, Wire } from '../../workers/lang/index.ts';

type Scope = { parent: string | undefined; slot: string | undefined };

const ident = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

function literal(v: unknown): string {
  if (typeof v === 'string') {
    const one = v.length > 48 ? `${v.slice(0, 48)}…` : v;
    return JSON.stringify(one);
  }
  return JSON.stringify(v) ?? 'null';
}

/** Parameters that say what a node does, in brackets: `split[auto]`, `reduce[best]`. */
function paramText(n: PlanNode): string {
  const p = n.params;
  switch (n.kind) {
    case 'Split':
      return `[${String(p.mode ?? 'auto')}${p.mode === 'parts' ? ` k=${p.parts}` : ''}${p.mode === 'size' ? ` ${p.size} ${p.unit ?? 'tokens'}` : ''}${p.mode === 'lines' ? ` ${p.lines}` : ''}]`;
    case 'Reduce':
      return `[${String(p.op ?? 'concat')}]`;
    case 'Peek':
      return `[${p.start ?? 0}, ${p.end ?? '…'})`;
    case 'Match':
      return p.keywords !== undefined
        ? `[${literal(p.keywords)}]`
        : p.pattern !== undefined
          ? `[/${p.pattern}/]`
          : '';
    case 'Parse':
      return p.as !== undefined ? `[${String(p.as)}]` : '';
    case 'Concat':
      return p.separator !== undefined ? `[${literal(p.separator)}]` : '';
    case 'LLM': {
      const first =
        String(p.template ?? '')
          .split('\n')
          .find((l) => l.trim() !== '') ?? '';
      return `⟨${first.length > 40 ? `${first.slice(0, 40)}…` : first}⟩`;
    }
    default:
      return '';
  }
}

export function planToTerm(plan: Plan): string {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const into = new Map<string, Wire[]>();
  for (const w of plan.wires) {
    const list = into.get(w.to.node) ?? [];
    list.push(w);
    into.set(w.to.node, list);
  }
  const inScope = (s: Scope) =>
    plan.nodes.filter(
      (n) => n.parent === s.parent && (s.parent === undefined || (n.slot ?? 'body') === s.slot),
    );

  /** Name of the value on a wire's source: the node, its port when it has several outputs. */
  const source = (w: Wire): string => {
    const n = byId.get(w.from.node);
    if (!n) return '?';
    if (n.kind === 'Entry') return w.from.port === 'text' ? 'P' : ident(w.from.port);
    if (n.kind === 'Self') return ident(n.id);
    return ident(n.id);
  };

  const args = (n: PlanNode): string => {
    const ws = into.get(n.id) ?? [];
    if (ws.length === 0) return '';
    if (ws.length === 1 && (n.kind !== 'LLM' || ws[0]!.to.port === 'chunk')) return ` ${source(ws[0]!)}`;
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
    const entry = nodes.find((n) => n.kind === 'Entry');
    const exit = nodes.find((n) => n.kind === 'Exit');
    const params =
      container.kind === 'Fix' ? 'P' : container.kind === 'Reduce' ? 'left right' : entry ? 'item' : '_';
    const lets = order(nodes.filter((n) => n.kind !== 'Entry' && n.kind !== 'Exit')).map(
      (n) => `${indent}  let ${ident(n.id)} = ${expr(n, `${indent}  `)}`,
    );
    const exitWire = exit ? (into.get(exit.id) ?? [])[0] : undefined;
    const result = exitWire ? source(exitWire) : '?';
    if (container.kind === 'Fix')
      return lets.length ? `\n${lets.join('\n')}\n${indent}  in ${result}` : result;
    return `(λ${params}.${lets.length ? `\n${lets.join('\n')}\n${indent}  in ${result})` : ` ${result})`}`;
  };

  const expr = (n: PlanNode, indent: string): string => {
    const a = args(n);
    switch (n.kind) {
      case 'Input':
        return 'P';
      case 'Query':
        return 'query';
      case 'Const':
        return literal(n.params.value);
      case 'Self':
        return `self${a}`;
      case 'Map':
      case 'Filter':
        return `${n.kind.toLowerCase()} ${body(n, 'body', indent)}${a}`;
      case 'Reduce':
        return n.params.op === 'body' ? `reduce ${body(n, 'body', indent)}${a}` : `reduce${paramText(n)}${a}`;
      case 'Fix': {
        const gap = (b: string) => (b.startsWith('\n') ? b : ` ${b}`);
        return `fix (λself. λP.\n${indent}  if |P| ≤ τ* then${gap(body(n, 'base', `${indent}  `))}\n${indent}  else${gap(body(n, 'step', `${indent}  `))})${a}`;
      }
      default:
        return `${n.kind.toLowerCase()}${paramText(n)}${a}`;
    }
  };

  const top = order(inScope({ parent: undefined, slot: undefined }));
  const outputs = top.filter((n) => n.kind === 'Output');
  const lets = top.filter((n) => n.kind !== 'Output').map((n) => `let ${ident(n.id)} = ${expr(n, '')}`);
  const results = outputs.map((o) => {
    const w = (into.get(o.id) ?? [])[0];
    return w ? source(w) : '?';
  });
  const header = `-- ${plan.name}`;
  if (plan.nodes.length === 0) return `${header}\n-- (empty: add nodes from the palette)`;
  return [header, ...lets, `in ${results.length ? results.join(', ') : '?'}`].join('\n');
}

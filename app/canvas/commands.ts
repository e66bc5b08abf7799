/**
 * The command palette's commands (Ctrl+K), as data: add a node of any kind — wired from the selected node
 * when a wire fits — and connect the selected node's ports to the ports that accept them. Searching is by
 * words; the first command is what Enter does. Pure: the palette runs them (`runCommand` in add-node.ts).
 */
import type { NodeKind, NodeSpec, Plan, PortRef } from '../../workers/lang/index.ts';
import { catalog, paletteGroups } from '../../workers/lang/index.ts';
import { drawnAsContainer, isTopLevelOnly, newNodeParams, specOf } from '../editor/kinds.ts';
import { addNode } from '../editor/plan-edit.ts';
import { firstWire, nodeName, sourcesFor, targetsFor } from '../editor/wiring.ts';

export type Command =
  | {
      type: 'add';
      id: string;
      kind: NodeKind;
      label: string;
      detail: string;
      /** The wire from the selected node into the new one, by port names (the new node's id is not known yet). */
      wire?: { from: PortRef; toPort: string };
    }
  | { type: 'connect'; id: string; from: PortRef; to: PortRef; label: string; detail: string };

const KINDS: readonly NodeSpec[] = paletteGroups.flatMap((g) => g.specs);

/** Every command for this plan and selection, in the order shown when nothing is typed. */
export function allCommands(plan: Plan, selected: readonly string[]): Command[] {
  const sel = selected.length === 1 ? plan.nodes.find((n) => n.id === selected[0]) : undefined;
  const connects: Command[] = [];
  if (sel) {
    const spec = specOf(sel.kind);
    let ports: ReturnType<NodeSpec['ports']> = { inputs: [], outputs: [] };
    try {
      ports = spec?.ports(sel, plan, catalog) ?? ports;
    } catch {
      // A malformed node offers nothing to connect; the checker reports it.
    }
    const wired = (from: PortRef, to: PortRef) =>
      plan.wires.some(
        (w) =>
          w.from.node === from.node &&
          w.from.port === from.port &&
          w.to.node === to.node &&
          w.to.port === to.port,
      );
    for (const o of ports.outputs)
      for (const t of targetsFor(plan, sel, o.name)) {
        const from = { node: sel.id, port: o.name };
        if (wired(from, t)) continue;
        connects.push({
          type: 'connect',
          id: `connect:${sel.id}.${o.name}>${t.node}.${t.port}`,
          from,
          to: { node: t.node, port: t.port },
          label: `Connect ${nodeName(sel)} · ${o.name} → ${t.label}${t.label.includes(' · ') ? '' : ` · ${t.port}`}`,
          detail: 'a wire from the selected node',
        });
      }
    for (const i of ports.inputs)
      for (const s of sourcesFor(plan, sel, i.name)) {
        const to = { node: sel.id, port: i.name };
        if (wired(s, to)) continue;
        connects.push({
          type: 'connect',
          id: `connect:${s.node}.${s.port}>${sel.id}.${i.name}`,
          from: { node: s.node, port: s.port },
          to,
          label: `Connect ${s.label}${s.label.includes(' · ') ? '' : ` · ${s.port}`} → ${nodeName(sel)} · ${i.name}`,
          detail: 'a wire into the selected node',
        });
      }
  }
  // A selected container takes the new node into its body (as the palette does); another node gets it after
  // itself, wired when a wire fits.
  const into =
    sel !== undefined &&
    drawnAsContainer(
      sel.kind,
      sel.params,
      plan.nodes.some((n) => n.parent === sel.id),
    );
  const adds: Command[] = KINDS.map((spec) => {
    const wire = sel && !into ? wireIntoNew(plan, sel.id, spec) : undefined;
    return {
      type: 'add',
      id: `add:${spec.kind}`,
      kind: spec.kind,
      label: `Add ${spec.title}`,
      detail:
        wire && sel
          ? `wired from ${nodeName(sel)} · ${wire.from.port}`
          : into && sel && !isTopLevelOnly(spec.kind)
            ? `into the body of ${nodeName(sel)}`
            : spec.description,
      ...(wire && { wire }),
    };
  });
  return [...adds, ...connects];
}

/** The wire that would join the selected node to a new node of this kind, tried on a copy of the plan. */
function wireIntoNew(
  plan: Plan,
  from: string,
  spec: NodeSpec,
): { from: PortRef; toPort: string } | undefined {
  const parent = plan.nodes.find((n) => n.id === from)?.parent;
  const slot = plan.nodes.find((n) => n.id === from)?.slot;
  if (isTopLevelOnly(spec.kind) && parent !== undefined) return undefined;
  const trial = addNode(plan, {
    kind: spec.kind,
    position: { x: 0, y: 0 },
    params: newNodeParams(spec.kind),
    ...(parent !== undefined && { parent, slot: (slot ?? 'body') as 'body' }),
  });
  const w = firstWire(trial.plan, from, trial.id);
  return w ? { from: w.from, toPort: w.to.port } : undefined;
}

/**
 * The commands matching `query` (every word must appear in the label or, for an add, the kind's name), best
 * first: a label whose words start with the query before one that merely contains it.
 */
export function searchCommands(commands: readonly Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...commands];
  const hay = (c: Command) => `${c.label} ${c.type === 'add' ? c.kind : ''}`.toLowerCase();
  const hits = commands.filter((c) => words.every((w) => hay(c).includes(w)));
  const score = (c: Command) => {
    const label = c.label.toLowerCase();
    const name = c.type === 'add' ? label.slice(4) : label;
    if (name === words.join(' ')) return 0;
    if (name.startsWith(words[0]!)) return 1;
    if (label.split(/[\s·→]+/).some((w) => w.startsWith(words[0]!))) return 2;
    return 3;
  };
  return hits
    .map((c, i) => ({ c, i, s: score(c) }))
    .sort((a, b) => a.s - b.s || a.i - b.i)
    .map((x) => x.c);
}

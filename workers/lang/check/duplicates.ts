/**
 * What happens downstream to a list whose items may repeat some text (a Split with overlap): which of
 * the kinds that combine it tolerate a repeated fact (`best`, `union`, `dedupe`: a fact seen twice is
 * still one answer) and which count it twice (`merge-counts`, `sum`, `concat`, `vote`, Concat). Each kind
 * says so itself (`duplicates` in its spec); this follows the wires from a node's outputs through the
 * nodes that pass values on (a Map's results are its items transformed, a Filter's kept items are some of
 * them) until it meets one.
 */
import type { Plan } from '../format/plan.ts';
import type { Catalog } from '../nodes/catalog.ts';
import { paramsOf, specIn } from '../nodes/params.ts';

export interface DuplicateHandling {
  /** Nodes downstream that count a repeated item twice. */
  counted: string[];
  /** Nodes downstream that tolerate it. */
  tolerated: string[];
}

export function duplicateHandling(plan: Plan, kinds: Catalog, nodeId: string): DuplicateHandling {
  const out: DuplicateHandling = { counted: [], tolerated: [] };
  const targets = new Map<string, string[]>();
  for (const w of plan.wires) {
    const list = targets.get(w.from.node);
    if (list) list.push(w.to.node);
    else targets.set(w.from.node, [w.to.node]);
  }
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>([nodeId]);
  const work = [nodeId];
  while (work.length > 0) {
    const id = work.pop() as string;
    let next = targets.get(id) ?? [];
    // A body's result leaves through its container's output: follow the container on.
    const node = byId.get(id);
    if (node?.parent !== undefined && specIn(kinds, node.kind)?.role === 'exit') next = [node.parent];
    for (const t of next) {
      if (seen.has(t)) continue;
      seen.add(t);
      const target = byId.get(t);
      const spec = target ? specIn(kinds, target.kind) : undefined;
      if (!target || !spec) continue;
      let how: ReturnType<NonNullable<typeof spec.duplicates>>;
      try {
        how = spec.duplicates?.(paramsOf(spec, target.params));
      } catch {
        how = undefined;
      }
      if (how === 'counted') out.counted.push(t);
      else if (how === 'tolerated') out.tolerated.push(t);
      else work.push(t);
    }
  }
  return out;
}

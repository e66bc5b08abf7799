/**
 * Auto-layout with elkjs ("layered", left to right) in a Web Worker, so a large plan never blocks the
 * page. Bodies are laid out innermost first; a container is then sized to hold its lanes and laid out
 * as one box in its own body. Loaded lazily (dynamic import) with the ELK worker as a plain asset.
 */
import ELK, { type ElkNode } from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { Plan, PlanNode } from '../../workers/lang/index.ts';
import {
  baseLaneKey,
  CONTAINER_HEADER,
  LANE_GAP,
  NODE_SIZE,
  type Size,
  type XY,
} from '../editor/geometry.ts';
import { containerSlots, drawnAsContainer, hasLanesSideBySide } from '../editor/kinds.ts';

let elk: InstanceType<typeof ELK> | null = null;
const engine = () => {
  // The ELK worker is sloppy-mode code: it runs as a classic worker from its own file.
  elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) });
  return elk;
};

const LAYOUT = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.padding': '[top=24,left=24,bottom=24,right=24]',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
};

export interface LayoutResult {
  positions: Record<string, XY>;
  sizes: Record<string, Size>;
}

/** Lays out the whole plan; `measured` gives each node's drawn size (estimated when missing). */
export async function autoLayout(plan: Plan, measured: ReadonlyMap<string, Size>): Promise<LayoutResult> {
  const positions: Record<string, XY> = {};
  const sizes: Record<string, Size> = {};
  const scopeOf = (n: PlanNode) => (n.parent === undefined ? '' : `${n.parent}/${n.slot ?? 'body'}`);
  const byScope = new Map<string, PlanNode[]>();
  for (const n of plan.nodes) {
    const list = byScope.get(scopeOf(n)) ?? [];
    list.push(n);
    byScope.set(scopeOf(n), list);
  }
  const scopeOfId = new Map(plan.nodes.map((n) => [n.id, scopeOf(n)]));
  const sizeOf = (n: PlanNode): Size => sizes[n.id] ?? measured.get(n.id) ?? NODE_SIZE;

  const layoutScope = async (scope: string): Promise<Size> => {
    const members = byScope.get(scope) ?? [];
    // Inner bodies first, so containers know their size.
    for (const n of members) {
      if (!drawnAsContainer(n.kind, n.params, byScope.has(`${n.id}/body`))) continue;
      const slots = containerSlots(n.kind) ?? ['body'];
      const laneSizes: Size[] = [];
      for (const slot of slots) laneSizes.push(await layoutScope(`${n.id}/${slot}`));
      const width = laneSizes.reduce((s, l) => s + l.width, 0) + (laneSizes.length + 1) * LANE_GAP;
      const height = CONTAINER_HEADER + Math.max(...laneSizes.map((l) => l.height)) + LANE_GAP;
      const size = { width: Math.max(300, width), height: Math.max(180, height) };
      // A Fix's lanes take the widths their contents need: the base lane's is kept beside the Fix's size.
      if (hasLanesSideBySide(n.kind))
        sizes[baseLaneKey(n.id)] = { width: laneSizes[0]!.width, height: laneSizes[0]!.height };
      sizes[n.id] = size;
    }
    if (members.length === 0) return { width: 240, height: 120 };
    const ids = new Set(members.map((m) => m.id));
    const graph: ElkNode = {
      id: `scope:${scope}`,
      layoutOptions: LAYOUT,
      children: members.map((m) => ({ id: m.id, ...sizeOf(m) })),
      edges: plan.wires
        .filter((w) => ids.has(w.from.node) && ids.has(w.to.node) && scopeOfId.get(w.from.node) === scope)
        .map((w) => ({ id: w.id, sources: [w.from.node], targets: [w.to.node] })),
    };
    const out = await engine().layout(graph);
    for (const c of out.children ?? [])
      positions[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
    return { width: Math.round(out.width ?? 240), height: Math.round(out.height ?? 120) };
  };

  await layoutScope('');
  return { positions, sizes };
}

import { describe, expect, it } from 'vitest';
import { nodeById, planSchema } from '../../workers/lang/index.ts';
import * as edit from './plan-edit.ts';

describe('plan edits', () => {
  it('a container comes with Entry and Exit per body, and a Fix step with a Self', () => {
    const { plan, id } = edit.addNode(edit.emptyPlan(), { kind: 'Fix', position: { x: 0, y: 0 } });
    const kids = plan.nodes.filter((n) => n.parent === id).map((n) => `${n.slot}:${n.kind}`);
    expect(kids.sort()).toEqual(['base:Entry', 'base:Exit', 'step:Entry', 'step:Exit', 'step:Self']);
    expect(planSchema.safeParse(plan).success).toBe(true);
  });

  it('removing a container removes its contents and their wires; Entry alone is not removable', () => {
    let { plan, id: map } = edit.addNode(edit.emptyPlan(), { kind: 'Map', position: { x: 0, y: 0 } });
    const entry = plan.nodes.find((n) => n.parent === map && n.kind === 'Entry')!.id;
    const exit = plan.nodes.find((n) => n.parent === map && n.kind === 'Exit')!.id;
    plan = edit.connect(plan, { node: entry, port: 'out' }, { node: exit, port: 'in' }).plan;
    expect(edit.removeNodes(plan, [entry])).toBe(plan);
    const after = edit.removeNodes(plan, [map]);
    expect(after.nodes).toEqual([]);
    expect(after.wires).toEqual([]);
    expect(after.view.positions).toEqual({});
  });

  it('refuses a wire that closes a cycle and replaces a second wire into the same input', () => {
    let plan = edit.emptyPlan();
    const ids: string[] = [];
    for (const kind of ['Input', 'Peek', 'Peek'] as const) {
      const r = edit.addNode(plan, { kind, position: { x: 0, y: 0 } });
      plan = r.plan;
      ids.push(r.id);
    }
    const [a, b, c] = ids as [string, string, string];
    plan = edit.connect(plan, { node: a, port: 'out' }, { node: b, port: 'in' }).plan;
    plan = edit.connect(plan, { node: b, port: 'out' }, { node: c, port: 'in' }).plan;
    const cyc = edit.connect(plan, { node: c, port: 'out' }, { node: b, port: 'in' });
    expect(cyc.id).toBeNull();
    expect(cyc.plan).toBe(plan);
    const replaced = edit.connect(plan, { node: a, port: 'out' }, { node: c, port: 'in' }).plan;
    expect(replaced.wires.filter((w) => w.to.node === c)).toHaveLength(1);
    expect(replaced.wires.find((w) => w.to.node === c)?.from.node).toBe(a);
  });

  it('moving a node out of a body drops the wires that would cross the boundary', () => {
    let { plan, id: map } = edit.addNode(edit.emptyPlan(), { kind: 'Map', position: { x: 0, y: 0 } });
    const r = edit.addNode(plan, { kind: 'Peek', position: { x: 50, y: 50 }, parent: map, slot: 'body' });
    plan = r.plan;
    const entry = plan.nodes.find((n) => n.parent === map && n.kind === 'Entry')!.id;
    plan = edit.connect(plan, { node: entry, port: 'out' }, { node: r.id, port: 'in' }).plan;
    expect(plan.wires).toHaveLength(1);
    const out = edit.reparent(plan, r.id, {}, { x: 600, y: 0 });
    expect(nodeById(out, r.id)?.parent).toBeUndefined();
    expect(out.wires).toHaveLength(0);
    // A container cannot go inside itself.
    expect(edit.reparent(plan, map, { parent: map, slot: 'body' }, { x: 0, y: 0 })).toBe(plan);
  });

  it('copy and paste gives fresh ids, keeps inner wires and container contents', () => {
    let { plan, id: map } = edit.addNode(edit.emptyPlan(), { kind: 'Map', position: { x: 10, y: 20 } });
    const entry = plan.nodes.find((n) => n.parent === map && n.kind === 'Entry')!.id;
    const exit = plan.nodes.find((n) => n.parent === map && n.kind === 'Exit')!.id;
    plan = edit.connect(plan, { node: entry, port: 'out' }, { node: exit, port: 'in' }).plan;
    const frag = edit.copyFragment(plan, [map]);
    const pasted = edit.pasteFragment(plan, frag, { x: 40, y: 40 });
    expect(pasted.ids).toHaveLength(1);
    const copy = pasted.ids[0]!;
    expect(copy).not.toBe(map);
    expect(pasted.plan.view.positions[copy]).toEqual({ x: 50, y: 60 });
    expect(pasted.plan.nodes.filter((n) => n.parent === copy)).toHaveLength(2);
    expect(pasted.plan.wires).toHaveLength(2);
    expect(planSchema.safeParse(pasted.plan).success).toBe(true);
  });

  it('a Self pasted outside a Fix step is dropped', () => {
    const { plan, id: fix } = edit.addNode(edit.emptyPlan(), { kind: 'Fix', position: { x: 0, y: 0 } });
    const self = plan.nodes.find((n) => n.parent === fix && n.kind === 'Self')!.id;
    const pasted = edit.pasteFragment(plan, edit.copyFragment(plan, [self]), { x: 0, y: 0 });
    expect(pasted.ids).toEqual([]);
    expect(pasted.plan.nodes).toHaveLength(plan.nodes.length);
  });
});

describe('Reduce body', () => {
  it('a Reduce gets a body only when its ⊕ is "body", and loses an untouched one when set back', () => {
    let { plan, id } = edit.addNode(edit.emptyPlan(), {
      kind: 'Reduce',
      position: { x: 0, y: 0 },
      params: { op: 'concat' },
    });
    expect(plan.nodes).toHaveLength(1);
    plan = edit.setParam(plan, id, 'op', 'body');
    expect(plan.nodes.filter((n) => n.parent === id).map((n) => n.kind)).toEqual(['Entry', 'Exit']);
    plan = edit.setParam(plan, id, 'op', 'sum');
    expect(plan.nodes).toHaveLength(1);
  });

  it('a body with work in it is kept when ⊕ changes, so nothing is lost', () => {
    let { plan, id } = edit.addNode(edit.emptyPlan(), {
      kind: 'Reduce',
      position: { x: 0, y: 0 },
      params: { op: 'body' },
    });
    const entry = plan.nodes.find((n) => n.kind === 'Entry')!.id;
    const exit = plan.nodes.find((n) => n.kind === 'Exit')!.id;
    plan = edit.connect(plan, { node: entry, port: 'left' }, { node: exit, port: 'result' }).plan;
    plan = edit.setParam(plan, id, 'op', 'concat');
    expect(plan.nodes).toHaveLength(3);
  });
});

describe('Self', () => {
  it('may move into a Map inside its Fix step, never out of the step', () => {
    let { plan, id: fix } = edit.addNode(edit.emptyPlan(), { kind: 'Fix', position: { x: 0, y: 0 } });
    const r = edit.addNode(plan, { kind: 'Map', position: { x: 200, y: 80 }, parent: fix, slot: 'step' });
    plan = r.plan;
    const self = plan.nodes.find((n) => n.kind === 'Self')!.id;
    const inMap = edit.reparent(plan, self, { parent: r.id, slot: 'body' }, { x: 20, y: 100 });
    expect(nodeById(inMap, self)?.parent).toBe(r.id);
    expect(edit.reparent(inMap, self, {}, { x: 0, y: 0 })).toBe(inMap);
    expect(edit.reparent(inMap, self, { parent: fix, slot: 'base' }, { x: 0, y: 0 })).toBe(inMap);
  });

  it('the last Self of a Fix is kept when deleted; a second one may go, and all go with the Fix', () => {
    let { plan, id: fix } = edit.addNode(edit.emptyPlan(), { kind: 'Fix', position: { x: 0, y: 0 } });
    const self = plan.nodes.find((n) => n.kind === 'Self')!.id;
    expect(edit.removeNodes(plan, [self])).toBe(plan);
    plan = edit.pasteFragment(
      plan,
      edit.copyFragment(plan, [self]),
      { x: 30, y: 0 },
      { parent: fix, slot: 'step' },
    ).plan;
    expect(plan.nodes.filter((n) => n.kind === 'Self')).toHaveLength(2);
    const fewer = edit.removeNodes(
      plan,
      plan.nodes.filter((n) => n.kind === 'Self').map((n) => n.id),
    );
    expect(fewer.nodes.filter((n) => n.kind === 'Self')).toHaveLength(1);
    expect(edit.removeNodes(plan, [fix]).nodes).toEqual([]);
  });
});

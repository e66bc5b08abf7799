import { beforeEach, describe, expect, it } from 'vitest';
import { planSchema } from '../../workers/lang/index.ts';
import { listRecent, restore, saveDocument, startAutosave, useAutosave } from './autosave.ts';
import { beginGesture, endGesture, redo, undo, useDocument } from './document.ts';
import * as edit from './plan-edit.ts';
import { memoryStorage } from './testing/memory-storage.ts';

const doc = () => useDocument.getState();
const history = () => useDocument.temporal.getState();

beforeEach(() => {
  doc().newDocument();
});

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
    expect(edit.nodeById(out, r.id)?.parent).toBeUndefined();
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

describe('document store history', () => {
  it('undoes and redoes a sequence of edits, and selection-free no-ops record nothing', () => {
    const a = doc().addNode({ kind: 'Input', position: { x: 0, y: 0 } });
    const b = doc().addNode({ kind: 'Output', position: { x: 300, y: 0 } });
    doc().connect({ node: a, port: 'out' }, { node: b, port: 'in' });
    doc().moveNodes([{ id: a, position: { x: 0, y: 0 } }]); // no-op
    expect(history().pastStates).toHaveLength(3);
    undo();
    expect(doc().plan.wires).toHaveLength(0);
    undo();
    expect(doc().plan.nodes.map((n) => n.id)).toEqual([a]);
    redo();
    redo();
    expect(doc().plan.wires).toHaveLength(1);
    expect(doc().plan.nodes).toHaveLength(2);
  });

  it('one drag is one step', () => {
    const a = doc().addNode({ kind: 'Input', position: { x: 0, y: 0 } });
    beginGesture();
    for (let i = 1; i <= 20; i++) doc().moveNodes([{ id: a, position: { x: i * 5, y: i } }]);
    endGesture();
    expect(history().pastStates).toHaveLength(2);
    undo();
    expect(doc().plan.view.positions[a]).toEqual({ x: 0, y: 0 });
    redo();
    expect(doc().plan.view.positions[a]).toEqual({ x: 100, y: 20 });
  });

  it('typing into one field is merged into one step; another field starts a new one', () => {
    const a = doc().addNode({ kind: 'LLM', position: { x: 0, y: 0 } });
    for (const text of ['F', 'Fi', 'Fin', 'Find']) doc().setParam(a, 'template', text);
    doc().setParam(a, 'system', 'x');
    expect(history().pastStates).toHaveLength(3);
    undo();
    expect(doc().plan.nodes[0]?.params.template).toBe('Find');
    undo();
    expect(doc().plan.nodes[0]?.params.template).toBeUndefined();
  });

  it('opening a document clears the history', () => {
    doc().addNode({ kind: 'Input', position: { x: 0, y: 0 } });
    const plan = edit.emptyPlan('Other');
    doc().openDocument(plan);
    expect(doc().plan.name).toBe('Other');
    expect(history().pastStates).toHaveLength(0);
    undo();
    expect(doc().plan.name).toBe('Other');
  });
});

describe('autosave', () => {
  it('restores the saved document exactly, with its id', async () => {
    const storage = memoryStorage();
    let { plan } = edit.addNode(edit.emptyPlan('Saved'), { kind: 'Map', position: { x: 7, y: 9 } });
    plan = { ...plan, query: 'what is the code?' };
    await saveDocument(storage, 'doc-a', plan);
    const out = await restore(storage);
    expect(out.damaged).toEqual([]);
    expect(out.opened?.id).toBe('doc-a');
    expect(out.opened?.plan).toEqual(plan);
  });

  it('reports a damaged save, keeps it aside, and opens the newest readable document', async () => {
    const storage = memoryStorage();
    await saveDocument(storage, 'doc-good', edit.emptyPlan('Good'));
    await saveDocument(storage, 'doc-bad', edit.emptyPlan('Bad'));
    storage.data.set('doc:doc-bad', { id: 'doc-bad', savedAt: 1, plan: { format: 'nonsense' } });
    const out = await restore(storage);
    expect(out.damaged.map((d) => d.id)).toEqual(['doc-bad']);
    expect(out.damaged[0]?.error).toMatch(/format/);
    expect(out.opened?.plan.name).toBe('Good');
    expect(storage.data.get('damaged:doc-bad')).toBeDefined();
    expect((await listRecent(storage)).map((e) => e.id)).toEqual(['doc-good']);
  });

  it('saves edits after a short delay, and an opened document keeps the previous one in the list', async () => {
    const storage = memoryStorage();
    const stop = await startAutosave(storage, { delay: 5 });
    const first = doc().docId;
    doc().rename('First');
    await new Promise((r) => setTimeout(r, 30));
    expect(useAutosave.getState().state).toBe('saved');
    doc().openDocument(edit.emptyPlan('Second'));
    doc().rename('Second (edited)');
    await stop();
    const recent = await listRecent(storage);
    expect(recent.map((e) => e.name)).toEqual(['Second (edited)', 'First']);
    expect(recent[1]?.id).toBe(first);
    expect(storage.data.get('current')).toBe(doc().docId);
  });
});

describe('first visit', () => {
  it('opens the document `firstVisit` gives when nothing was saved, and leaves no empty one behind', async () => {
    const storage = memoryStorage();
    const example = { ...edit.emptyPlan('An example'), query: 'What is asked?' };
    const stop = await startAutosave(storage, { delay: 5, firstVisit: async () => example });
    await stop();
    expect(useAutosave.getState().firstVisit).toBe(true);
    expect(doc().plan.name).toBe('An example');
    expect((await listRecent(storage)).map((e) => e.name)).toEqual(['An example']);
  });

  it('is not a first visit once something was saved: the saved document opens', async () => {
    const storage = memoryStorage();
    await saveDocument(storage, 'doc-1', edit.emptyPlan('Mine'));
    let asked = false;
    const stop = await startAutosave(storage, {
      firstVisit: async () => {
        asked = true;
        return edit.emptyPlan('An example');
      },
    });
    await stop();
    expect(asked).toBe(false);
    expect(useAutosave.getState().firstVisit).toBe(false);
    expect(doc().plan.name).toBe('Mine');
  });

  it('an example that cannot be loaded leaves a new empty document, not a broken start', async () => {
    const storage = memoryStorage();
    doc().newDocument();
    const stop = await startAutosave(storage, {
      firstVisit: async () => {
        throw new Error('offline');
      },
    });
    await stop();
    expect(doc().plan.nodes).toEqual([]);
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
    expect(edit.nodeById(inMap, self)?.parent).toBe(r.id);
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

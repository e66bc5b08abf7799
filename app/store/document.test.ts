import { beforeEach, describe, expect, it } from 'vitest';
import * as edit from '../editor/plan-edit.ts';
import { listRecent, restore, saveDocument, startAutosave, useAutosave } from './autosave.ts';
import { beginGesture, endGesture, redo, undo, useDocument } from './document.ts';
import { memoryStorage } from './testing/memory-storage.ts';

const doc = () => useDocument.getState();
const history = () => useDocument.temporal.getState();

beforeEach(() => {
  doc().newDocument();
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

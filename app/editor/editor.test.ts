/**
 * The editor driven as a user drives it, without a browser: nodes dropped from the palette at canvas
 * points, wires drawn and moved, nodes dragged into and out of bodies, undo and redo. The store is the
 * page's own (`useDocument`), the geometry is the canvas's own view of the plan (`buildFlow`, with nodes
 * at their estimated size), and the gestures are the ones the canvas calls.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { NodeKind, Plan, Slot } from '../../workers/lang/index.ts';
import { check, nodeById } from '../../workers/lang/index.ts';
import { buildFlow } from '../canvas/flow-model.ts';
import { redo, undo, useDocument } from '../store/document.ts';
import { connectionProblem } from './connection-rules.ts';
import { absolutePositions, laneAt, laneId, type XY } from './geometry.ts';
import { nodeDroppedAt } from './gestures.ts';
import { BODY_KINDS, isBodyEnd, isTopLevelOnly, needsRecursion, recursiveSlot, specOf } from './kinds.ts';

/** The canvas as a test sees it: the boxes the page would draw, and a pointer. */
class TestEditor {
  get plan(): Plan {
    return useDocument.getState().plan;
  }

  get undoSteps(): number {
    return useDocument.temporal.getState().pastStates.length;
  }

  boxes() {
    return buildFlow({ plan: this.plan, specOf, checked: { diagnostics: [] }, measured: new Map() }).nodes;
  }

  /** Where a node (or lane) is on the canvas. */
  at(id: string): XY {
    const p = absolutePositions(this.boxes()).get(id);
    if (!p) throw new Error(`${id} is not on the canvas`);
    return p;
  }

  /** Drops a kind from the palette at a canvas point; returns the new node's id, or null when refused. */
  drop(kind: NodeKind, point: XY): string | null {
    const id = useDocument.getState().addNode(nodeDroppedAt(kind, point, laneAt(this.boxes(), point)));
    return nodeById(this.plan, id) ? id : null;
  }

  /** Draws a wire, as the canvas does: only when the language accepts it. */
  wire(from: string, fromPort: string, to: string, toPort: string): string | null {
    const f = { node: from, port: fromPort };
    const t = { node: to, port: toPort };
    if (connectionProblem(this.plan, f, t) !== null) return null;
    return useDocument.getState().connect(f, t);
  }

  /** Drags a node by its top-left corner until the pointer is at `pointer`, and lets go. */
  drag(id: string, pointer: XY): void {
    const boxes = this.boxes();
    const box = boxes.find((b) => b.id === id);
    if (!box) throw new Error(`${id} is not on the canvas`);
    const abs = absolutePositions(boxes);
    const parent = box.parentId ? abs.get(box.parentId)! : { x: 0, y: 0 };
    const position = { x: pointer.x - 5 - parent.x, y: pointer.y - 5 - parent.y };
    useDocument.getState().dropNodes(boxes, [{ id, position }], pointer);
  }

  /** The middle of a lane on the canvas. */
  laneMiddle(container: string, slot: Slot = 'body'): XY {
    const lane = this.boxes().find((b) => b.id === laneId(container, slot))!;
    const p = this.at(lane.id);
    return { x: p.x + (lane.width ?? 0) / 2, y: p.y + (lane.height ?? 0) / 2 };
  }

  errors(): string[] {
    return check(this.plan)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => d.message);
  }
}

let ed: TestEditor;
beforeEach(() => {
  useDocument.getState().newDocument();
  ed = new TestEditor();
});

describe('the editor, driven like a user', () => {
  it('adds three nodes, wires them, drops one into a Map, and undoes the drop in one step', () => {
    const input = ed.drop('Input', { x: 0, y: 0 })!;
    const llm = ed.drop('LLM', { x: 300, y: 0 })!;
    const out = ed.drop('Output', { x: 600, y: 0 })!;
    expect(ed.wire(input, 'text', llm, 'chunk')).not.toBeNull();
    expect(ed.wire(llm, 'text', out, 'value')).not.toBeNull();
    expect(ed.errors()).toEqual([]);
    const map = ed.drop('Map', { x: 0, y: 400 })!;
    const before = ed.plan;
    const steps = ed.undoSteps;

    ed.drag(llm, ed.laneMiddle(map));
    expect(nodeById(ed.plan, llm)).toMatchObject({ parent: map, slot: 'body' });
    // A body sees the outside only through its Entry: both wires crossed the boundary and are gone.
    expect(ed.plan.wires).toEqual([]);
    expect(ed.undoSteps).toBe(steps + 1);

    undo();
    expect(ed.plan).toBe(before);
    expect(nodeById(ed.plan, llm)?.parent).toBeUndefined();
    expect(ed.plan.wires).toHaveLength(2);
    redo();
    expect(nodeById(ed.plan, llm)?.parent).toBe(map);
  });

  it('a node dragged out of a body lands at the top level where it was let go', () => {
    const map = ed.drop('Map', { x: 0, y: 0 })!;
    const peek = ed.drop('Peek', ed.laneMiddle(map))!;
    expect(nodeById(ed.plan, peek)?.parent).toBe(map);
    ed.drag(peek, { x: 900, y: 600 });
    expect(nodeById(ed.plan, peek)?.parent).toBeUndefined();
    expect(ed.plan.view.positions[peek]).toEqual({ x: 895, y: 595 });
  });

  it('a dragged container takes what it holds along; only it changes place in the document', () => {
    const map = ed.drop('Map', { x: 0, y: 0 })!;
    const peek = ed.drop('Peek', ed.laneMiddle(map))!;
    const inside = ed.plan.view.positions[peek];
    ed.drag(map, { x: 500, y: 500 });
    expect(ed.plan.view.positions[map]).toEqual({ x: 495, y: 495 });
    expect(nodeById(ed.plan, peek)?.parent).toBe(map);
    expect(ed.plan.view.positions[peek]).toEqual(inside);
  });

  it('a container let go with the pointer over its own body moves, and never goes into itself', () => {
    const map = ed.drop('Map', { x: 0, y: 0 })!;
    const inner = ed.laneMiddle(map);
    const boxes = ed.boxes();
    useDocument.getState().dropNodes(boxes, [{ id: map, position: { x: 40, y: 40 } }], {
      x: inner.x + 40,
      y: inner.y + 40,
    });
    expect(nodeById(ed.plan, map)?.parent).toBeUndefined();
    expect(ed.plan.view.positions[map]).toEqual({ x: 40, y: 40 });
  });

  it("a Self cannot leave its Fix's step: the drag changes nothing and records no step", () => {
    const fix = ed.drop('Fix', { x: 0, y: 0 })!;
    const self = ed.plan.nodes.find((n) => n.parent === fix && needsRecursion(n.kind))!.id;
    const before = ed.plan;
    const steps = ed.undoSteps;
    ed.drag(self, { x: 2000, y: 2000 });
    expect(ed.plan).toBe(before);
    expect(ed.undoSteps).toBe(steps);
    ed.drag(self, ed.laneMiddle(fix, 'base'));
    expect(ed.plan).toBe(before);
  });

  it("a body's Entry stays in its body, never left of or above it", () => {
    const map = ed.drop('Map', { x: 0, y: 0 })!;
    const entry = ed.plan.nodes.find((n) => n.parent === map && isBodyEnd(n.kind))!.id;
    ed.drag(entry, { x: -400, y: -400 });
    expect(nodeById(ed.plan, entry)?.parent).toBe(map);
    expect(ed.plan.view.positions[entry]).toEqual({ x: 0, y: 0 });
  });

  it('an Output dropped on a Map stays at the top level; a Peek dropped there goes into its body', () => {
    const map = ed.drop('Map', { x: 0, y: 0 })!;
    const out = ed.drop('Output', ed.laneMiddle(map))!;
    expect(nodeById(ed.plan, out)?.parent).toBeUndefined();
    const peek = ed.drop('Peek', ed.laneMiddle(map))!;
    expect(nodeById(ed.plan, peek)?.parent).toBe(map);
  });

  it('a wire end moved to another port follows when the types agree, and stays put when they do not', () => {
    const input = ed.drop('Input', { x: 0, y: 0 })!;
    const a = ed.drop('Peek', { x: 300, y: 0 })!;
    const b = ed.drop('Peek', { x: 300, y: 300 })!;
    const split = ed.drop('Split', { x: 0, y: 300 })!;
    const w = ed.wire(input, 'text', a, 'text')!;
    useDocument.getState().reconnect(w, { node: input, port: 'text' }, { node: b, port: 'text' });
    expect(ed.plan.wires.map((x) => `${x.from.node}>${x.to.node}`)).toEqual([`${input}>${b}`]);
    const moved = ed.plan.wires[0]!.id;
    const before = ed.plan;
    // A list of pieces into a text input: refused, the wire stays where it was.
    useDocument.getState().reconnect(moved, { node: split, port: 'parts' }, { node: b, port: 'text' });
    expect(ed.plan).toBe(before);
  });

  it('deleting a node takes its wires; undo brings both back', () => {
    const input = ed.drop('Input', { x: 0, y: 0 })!;
    const peek = ed.drop('Peek', { x: 300, y: 0 })!;
    ed.wire(input, 'text', peek, 'text');
    const before = ed.plan;
    useDocument.getState().removeNodes([peek]);
    expect(ed.plan.nodes.map((n) => n.id)).toEqual([input]);
    expect(ed.plan.wires).toEqual([]);
    undo();
    expect(ed.plan).toBe(before);
  });
});

describe('what the editor reads from the catalog', () => {
  it('finds bodies, the recursive body and where kinds may sit by role, not by name', () => {
    expect(recursiveSlot('Fix')).toBe('step');
    expect(recursiveSlot('Map')).toBeUndefined();
    expect([BODY_KINDS.entry, BODY_KINDS.exit, BODY_KINDS.self]).toEqual(['Entry', 'Exit', 'Self']);
    expect(isTopLevelOnly('Output')).toBe(true);
    expect(isBodyEnd('Entry') && isBodyEnd('Exit') && !isBodyEnd('Self')).toBe(true);
  });
});

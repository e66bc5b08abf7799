import { describe, expect, it } from 'vitest';
import type { Plan } from '../../workers/lang/index.ts';
import { newNodeParams } from '../editor/kinds.ts';
import { addNode, connect, emptyPlan } from '../editor/plan-edit.ts';
import { firstWire, sourcesFor, targetsFor } from '../editor/wiring.ts';
import { allCommands, searchCommands } from './commands.ts';

function build(...kinds: string[]): { plan: Plan; ids: string[] } {
  let plan = emptyPlan();
  const ids: string[] = [];
  for (const [i, kind] of kinds.entries()) {
    const r = addNode(plan, {
      kind: kind as never,
      position: { x: i * 300, y: 0 },
      params: newNodeParams(kind),
    });
    plan = r.plan;
    ids.push(r.id);
  }
  return { plan, ids };
}

describe('wiring from one port', () => {
  it('finds the first wire that joins one node to the next, by the language’s rules', () => {
    const { plan, ids } = build('Input', 'Split', 'Map', 'LLM');
    expect(firstWire(plan, ids[0]!, ids[1]!)).toEqual({
      from: { node: 'input-1', port: 'text' },
      to: { node: 'split-1', port: 'text' },
    });
    expect(firstWire(plan, ids[1]!, ids[2]!)?.to.port).toBe('items');
    // A list of pieces cannot feed a model call's text.
    expect(firstWire(plan, ids[1]!, ids[3]!)).toBeNull();
  });

  it('lists sources for an input and targets for an output, by port name', () => {
    const { plan } = build('Input', 'Split', 'Concat');
    const split = plan.nodes.find((n) => n.kind === 'Split')!;
    const concat = plan.nodes.find((n) => n.kind === 'Concat')!;
    expect(sourcesFor(plan, concat, 'items').map((s) => `${s.node}.${s.port}`)).toEqual(['split-1.parts']);
    expect(targetsFor(plan, split, 'parts').map((t) => `${t.node}.${t.port}`)).toEqual(['concat-1.items']);
  });
});

describe('the command palette’s commands', () => {
  it('adds a node after the selected one, wired, and connects the selection’s ports', () => {
    const { plan } = build('Input', 'Split');
    const commands = allCommands(plan, ['input-1']);
    const addSplit = commands.find((c) => c.id === 'add:Split');
    expect(addSplit).toMatchObject({ wire: { from: { node: 'input-1', port: 'text' }, toPort: 'text' } });
    expect(addSplit?.detail).toMatch(/wired from Input input-1 · text/);
    const connect = commands.find((c) => c.type === 'connect');
    expect(connect).toMatchObject({
      from: { node: 'input-1', port: 'text' },
      to: { node: 'split-1', port: 'text' },
    });
    expect(connect?.label).toBe('Connect Input input-1 · text → Split split-1 · text');
  });

  it('offers no wire that exists already, and none into a selected container (the node goes into its body)', () => {
    let { plan } = build('Input', 'Split', 'Map');
    plan = connect(plan, { node: 'input-1', port: 'text' }, { node: 'split-1', port: 'text' }).plan;
    expect(allCommands(plan, ['input-1']).some((c) => c.type === 'connect' && c.to.node === 'split-1')).toBe(
      false,
    );
    const intoMap = allCommands(plan, ['map-1']).find((c) => c.id === 'add:LLM');
    expect(intoMap).not.toHaveProperty('wire');
    expect(intoMap?.detail).toMatch(/into the body of Map map-1/);
  });

  it('finds by a few letters, the best match first', () => {
    const commands = allCommands(build('Input').plan, []);
    expect(searchCommands(commands, 'spl')[0]?.id).toBe('add:Split');
    expect(searchCommands(commands, 'map')[0]?.id).toBe('add:Map');
    expect(searchCommands(commands, 'llm')[0]?.id).toBe('add:LLM');
    expect(searchCommands(commands, 'output')[0]?.id).toBe('add:Output');
    expect(searchCommands(commands, 'zzz')).toEqual([]);
  });
});

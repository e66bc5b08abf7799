import { describe, expect, it } from 'vitest';
import { type Plan, planSchema } from '../format/plan.ts';
import {
  CONTAINER_KINDS,
  catalog,
  defaultParams,
  NODE_KINDS,
  nodeSpec,
  paletteGroups,
  STRUCTURE_KINDS,
  validateParams,
} from './catalog.ts';

const emptyPlan: Plan = planSchema.parse({
  format: 'fixpoint/plan',
  version: 2,
  name: 't',
  nodes: [],
  wires: [],
});

describe('catalog', () => {
  it('declares every node kind once, under its own name', () => {
    for (const kind of NODE_KINDS) expect(nodeSpec(kind).kind).toBe(kind);
    expect(Object.keys(catalog).sort()).toEqual([...NODE_KINDS].sort());
  });

  it('gives every kind either semantics, a role or a container', () => {
    for (const kind of NODE_KINDS) {
      const spec = nodeSpec(kind);
      const ways = [spec.compute || spec.evaluate, spec.role, spec.container].filter(Boolean);
      expect(ways.length, kind).toBeGreaterThanOrEqual(1);
      // A kind that calls the model says how many calls it may make, for the planner.
      if (spec.evaluate) expect(spec.calls, kind).toBeDefined();
    }
  });

  it('derives its lists: containers, structure kinds, and every other kind in one palette group', () => {
    expect([...CONTAINER_KINDS].sort()).toEqual(['Filter', 'Find', 'Fix', 'Map', 'Reduce']);
    expect([...STRUCTURE_KINDS].sort()).toEqual(['Entry', 'Exit', 'Self']);
    const grouped = paletteGroups.flatMap((g) => g.kinds);
    expect(new Set(grouped).size).toBe(grouped.length);
    expect([...grouped].sort()).toEqual(NODE_KINDS.filter((k) => !STRUCTURE_KINDS.includes(k)).sort());
    for (const g of paletteGroups) expect(g.specs.map((s) => s.kind)).toEqual(g.kinds);
  });

  it('accepts every kind with default params, except a Match that has nothing to match yet', () => {
    for (const kind of NODE_KINDS)
      if (kind !== 'Match') expect(validateParams(kind, defaultParams(kind)), kind).toEqual([]);
    expect(validateParams('Match', defaultParams('Match'))[0]?.param).toBe('keywords');
    expect(validateParams('Match', { keywords: 'x' })).toEqual([]);
  });

  it('reports bad params by name', () => {
    const d = validateParams('Split', { mode: 'parts', parts: 1 }, 's1');
    expect(d).toMatchObject([{ code: 'invalid-param', nodeId: 's1', param: 'parts' }]);
    expect(validateParams('Split', { mode: 'chunks' })[0]?.message).toMatch(/one of auto, parts/);
    expect(validateParams('Const', { type: 'Int', value: 'x' })[0]?.param).toBe('value');
    expect(validateParams('LLM', { template: '{{ a b }}' })[0]).toMatchObject({
      param: 'template',
      code: 'template-variable',
    });
    expect(validateParams('Map', 'nope')[0]?.code).toBe('invalid-param');
    expect(validateParams('Map', { bogus: 1 })[0]?.severity).toBe('warning');
  });

  it('derives LLM input ports from the template', () => {
    const node = {
      id: 'l',
      kind: 'LLM' as const,
      params: { template: '{{query}} {{chunk}} {{doc}} {{doc}}' },
    };
    const ports = nodeSpec('LLM').ports(node, emptyPlan, catalog);
    expect(ports.inputs.map((p) => p.name)).toEqual(['chunk', 'doc']);
  });
});

import { describe, expect, it } from 'vitest';
import { NODE_KINDS, type Plan, planSchema } from '../format/plan.ts';
import {
  CONTAINER_KINDS,
  catalog,
  defaultParams,
  nodeSpec,
  paletteGroups,
  validateParams,
} from './catalog.ts';

const emptyPlan: Plan = planSchema.parse({
  format: 'fixpoint/plan',
  version: 1,
  name: 't',
  nodes: [],
  wires: [],
});

describe('catalog', () => {
  it('declares every node kind once, under its own name', () => {
    for (const kind of NODE_KINDS) expect(nodeSpec(kind).kind).toBe(kind);
    expect(Object.keys(catalog).sort()).toEqual([...NODE_KINDS].sort());
  });

  it('gives non-container kinds semantics and leaves containers to the evaluator', () => {
    for (const kind of NODE_KINDS) {
      const spec = nodeSpec(kind);
      if (CONTAINER_KINDS.includes(kind) || ['Self', 'Entry', 'Exit', 'Input'].includes(kind))
        expect(spec.evaluate, kind).toBeUndefined();
    }
  });

  it('puts every palette kind in exactly one group', () => {
    const grouped = paletteGroups.flatMap((g) => g.kinds);
    const inPalette = NODE_KINDS.filter((k) => nodeSpec(k).inPalette);
    expect([...grouped].sort()).toEqual([...inPalette].sort());
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
    expect(validateParams('LLM', { template: '{{ a b }}' })[0]?.param).toBe('template');
    expect(validateParams('Map', 'nope')[0]?.code).toBe('invalid-param');
    expect(validateParams('Map', { bogus: 1 })[0]?.severity).toBe('warning');
  });

  it('derives LLM input ports from the template', () => {
    const node = {
      id: 'l',
      kind: 'LLM' as const,
      params: { template: '{{query}} {{chunk}} {{doc}} {{doc}}' },
    };
    const ports = nodeSpec('LLM').ports(node, emptyPlan);
    expect(ports.inputs.map((p) => p.name)).toEqual(['chunk', 'doc']);
  });
});

import { describe, expect, it } from 'vitest';
import { type Plan, type PlanInput, planSchema } from '../format/plan.ts';
import { loadExamples } from '../testing/examples.ts';
import { downstreamOf } from './downstream.ts';

const examples = loadExamples();
const planOf = (name: string): Plan => examples.find((e) => e.file === `${name}.json`)!.plan;
const sorted = (s: Set<string>) => [...s].sort();

describe('downstreamOf', () => {
  const oolong = planOf('oolong');
  const sniah = planOf('sniah');
  const summary = planOf('summary');

  it('follows wires from a top-level node, and nothing upstream', () => {
    expect(sorted(downstreamOf(oolong, ['answer']))).toEqual(['answer', 'output']);
    expect(sorted(downstreamOf(oolong, ['reduce']))).toEqual(['answer', 'output', 'reduce']);
  });

  it('a node inside a container reaches what the container feeds, not its siblings upstream', () => {
    expect(sorted(downstreamOf(oolong, ['parse']))).toEqual([
      'answer',
      'map.out',
      'output',
      'parse',
      'reduce',
    ]);
    expect(sorted(downstreamOf(oolong, ['classify']))).toEqual([
      'answer',
      'classify',
      'map.out',
      'output',
      'parse',
      'reduce',
    ]);
  });

  it('a container brings everything in it', () => {
    expect(sorted(downstreamOf(sniah, ['search']))).toEqual([
      'answer',
      'output',
      'search',
      'search.in',
      'search.out',
    ]);
  });

  it('a node in a Fix body changes what its Self returns, so the step body after the Self too', () => {
    expect(sorted(downstreamOf(summary, ['leaf']))).toEqual(
      ['combine', 'concat', 'fix.base.out', 'fix.step.out', 'leaf', 'map.out', 'output', 'self'].sort(),
    );
    // The neural ⊕ feeds no base case: the leaves that summarise pieces stay cached.
    expect(downstreamOf(summary, ['combine']).has('leaf')).toBe(false);
  });

  it('ignores ids that name no node and survives a cycle of parents', () => {
    expect(downstreamOf(oolong, ['nope']).size).toBe(0);
    const looped: Plan = planSchema.parse({
      format: 'fixpoint/plan',
      version: 2,
      name: 'looped',
      nodes: [
        { id: 'a', kind: 'Map', parent: 'b' },
        { id: 'b', kind: 'Map', parent: 'a' },
      ],
      wires: [],
    } satisfies PlanInput);
    expect(sorted(downstreamOf(looped, ['a']))).toEqual(['a', 'b']);
  });
});

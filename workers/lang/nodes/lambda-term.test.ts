import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../format/load.ts';

import { planSchema } from '../format/plan.ts';
import { planToTerm } from './lambda-term.ts';

const emptyPlan = (name = 'Untitled pipeline') =>
  planSchema.parse({ format: 'fixpoint/plan', version: 2, name, nodes: [], wires: [] });

function example(file: string) {
  const r = loadPlan(JSON.parse(readFileSync(`public/examples/${file}`, 'utf8')));
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.plan;
}

describe('planToTerm', () => {
  it('writes S-NIAH as lets over λ-bodies, ending in the output', () => {
    const term = planToTerm(example('sniah.json'));
    expect(term).toContain('let split = split[auto] input');
    expect(term).toMatch(
      /let filter = filter \(λitem\.\n\s+let match = match\[.*\] item\n\s+in match\) split/,
    );
    // S-NIAH's Match looks for the question's words, and says so (not an empty keyword list).
    expect(term).toContain('match[words(query)] item');
    expect(term).toMatch(/let find = llm⟨Answer the question .*⟩ item/);
    expect(term).toContain('let reduce = reduce[best] map');
    expect(term.trim().split('\n').at(-1)).toBe('in reduce');
  });

  it('writes a Fix with its base and step, and Self as the recursive call', () => {
    const term = planToTerm(example('summary.json'));
    expect(term).toMatch(/fix \(λself\. λP\.\n\s+if \|P\| ≤ τ\* then\n/);
    expect(term).toMatch(/\n\s+else\n/);
    expect(term).toMatch(/self item/);
  });

  it('an empty or unwired plan still reads', () => {
    expect(planToTerm(emptyPlan('Nothing'))).toContain('empty');
    const plan = { ...emptyPlan(), nodes: [{ id: 'o', kind: 'Output' as const, params: {} }] };
    expect(planToTerm(plan)).toContain('in ?');
  });
});

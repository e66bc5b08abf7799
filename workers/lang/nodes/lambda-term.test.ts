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
    // Find reads the pieces by the question's words, and says so.
    expect(term).toMatch(
      /let search = find\[by words\(query\)\] \(λitem\.\n\s+let answer = llm⟨Answer the question .*⟩ item\n\s+in answer\) split/,
    );
    expect(term.trim().split('\n').at(-1)).toBe('in search');
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

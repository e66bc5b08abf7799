/**
 * The example plans in public/examples/ are shared by the gallery, the tests and the benchmarks: each must
 * load, name only valid parameters, and ship the query its sample generator makes at the stated size.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../format/load.ts';
import { nodeSpec, validateParams } from '../nodes/catalog.ts';
import { sampleGenerator } from '../samples/index.ts';

const dir = new URL('../../../public/examples/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as {
  file: string;
  name: string;
  description: string;
  generator: string;
}[];

describe('example plans', () => {
  it('the index lists the paper’s task families, classification and the summary', () => {
    expect(index.map((e) => e.file)).toEqual([
      'sniah.json',
      'multidoc-qa.json',
      'code-qa.json',
      'oolong.json',
      'oolong-pairs.json',
      'classify.json',
      'summary.json',
    ]);
  });

  for (const entry of index) {
    describe(entry.file, () => {
      const json = JSON.parse(readFileSync(new URL(entry.file, dir), 'utf8'));
      const loaded = loadPlan(json);

      it('loads under the plan schema', () => {
        expect(loaded.ok ? [] : loaded.diagnostics).toEqual([]);
      });

      it('matches its index entry and names a known sample generator', () => {
        if (!loaded.ok) return;
        expect(loaded.plan.name).toBe(entry.name);
        expect(loaded.plan.description).toBe(entry.description);
        const gen = sampleGenerator(loaded.plan.input.generator?.name ?? '');
        expect(gen?.example).toBe(entry.file);
        const params = loaded.plan.input.generator!.params as { tokens: number; seed: number };
        expect(gen!.generate(params).query).toBe(loaded.plan.query);
      });

      it('has only valid parameters, and a position for every node', () => {
        if (!loaded.ok) return;
        for (const node of loaded.plan.nodes) {
          expect(validateParams(node.kind, node.params, node.id)).toEqual([]);
          expect(loaded.plan.view.positions[node.id], node.id).toBeDefined();
          const hasBody = loaded.plan.nodes.some((n) => n.parent === node.id);
          if (nodeSpec(node.kind).container && hasBody)
            expect(loaded.plan.view.sizes[node.id], node.id).toBeDefined();
        }
      });
    });
  }
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlan } from './load.ts';
import { PLAN_VERSION } from './plan.ts';
import { v1ToV2 } from './v1-to-v2.ts';

const frozen = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/v1/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const paramsOf = (plan: { nodes: { kind: string; params: Record<string, unknown> }[] }, kind: string) =>
  plan.nodes.filter((n) => n.kind === kind).map((n) => n.params);

describe('plan format 1 → 2', () => {
  it('loads the frozen version-1 plans, migrated to the current version', () => {
    for (const name of ['needle.json', 'summary.json']) {
      const r = loadPlan(frozen(name));
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.migratedFrom).toBe(1);
        expect(r.plan.version).toBe(PLAN_VERSION);
      }
    }
  });

  it('writes out the old behaviour where version 2 would choose differently, and keeps explicit choices', () => {
    const r = loadPlan(frozen('summary.json'));
    if (!r.ok) throw new Error('does not load');
    for (const p of paramsOf(r.plan, 'Split')) expect(p).toMatchObject({ overlap: 0, cut: 'words' });
    const needle = loadPlan(frozen('needle.json'));
    if (!needle.ok) throw new Error('does not load');
    // The needle plan chose an overlap of its own: it stays.
    expect(paramsOf(needle.plan, 'Split')[0]).toMatchObject({ overlap: 50, cut: 'words' });
  });

  it('never throws on junk, and leaves what it does not understand to the schema', () => {
    for (const junk of [{}, { nodes: 3 }, { nodes: [null, 1, 'x', [], { kind: 'Split', params: 'no' }] }])
      expect(() => v1ToV2(junk)).not.toThrow();
    expect(v1ToV2({ nodes: [{ kind: 'Split', params: 'no' }] })).toEqual({
      nodes: [{ kind: 'Split', params: 'no' }],
    });
  });
});

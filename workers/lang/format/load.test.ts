import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPlan, showPath, valueDepth } from './load.ts';
import { type Migration, migrate } from './migrate.ts';
import { PLAN_LIMITS, PLAN_VERSION } from './plan.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/v1/${name}`, import.meta.url), 'utf8'));

const minimal = () => ({
  format: 'fixpoint/plan',
  version: 1,
  name: 'm',
  nodes: [{ id: 'a', kind: 'Input' }],
  wires: [],
});

describe('loadPlan', () => {
  it('loads the frozen version-1 fixtures', () => {
    for (const name of ['summary.json', 'needle.json']) {
      const r = loadPlan(fixture(name));
      expect(r.ok, name).toBe(true);
      if (r.ok) {
        expect(r.plan.version).toBe(PLAN_VERSION);
        expect(r.plan.nodes.length).toBeGreaterThan(5);
      }
    }
  });

  it('fills defaults', () => {
    const r = loadPlan(minimal());
    expect(r.ok && r.plan.planner.kRule).toBe('auto');
    expect(r.ok && r.plan.nodes[0]?.params).toEqual({});
  });

  it('names the JSON path and the node of a schema error', () => {
    const doc = minimal();
    doc.nodes.push({ id: 'b', kind: 'Lambda' });
    const r = loadPlan(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics[0]).toMatchObject({ code: 'schema', nodeId: 'b' });
      expect(r.diagnostics[0]?.message).toMatch(/^nodes\[1\]\.kind: unknown node kind/);
    }
  });

  it('refuses other formats, newer versions, non-objects and over-deep documents', () => {
    expect(loadPlan(null).ok).toBe(false);
    expect(loadPlan([1]).ok).toBe(false);
    const other = loadPlan({ ...minimal(), format: 'other' });
    expect(!other.ok && other.diagnostics[0]?.message).toMatch(/format/);
    const newer = loadPlan({ ...minimal(), version: PLAN_VERSION + 1 });
    expect(!newer.ok && newer.diagnostics[0]?.message).toMatch(/newer Fixpoint/);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { x: deep };
    const d = loadPlan({ ...minimal(), description: deep });
    expect(!d.ok && d.diagnostics[0]?.message).toMatch(/nested more than/);
  });

  it('refuses too many nodes and container nesting past the limit, and parent cycles', () => {
    const many = minimal();
    for (let i = 0; i <= PLAN_LIMITS.maxNodes; i++) many.nodes.push({ id: `n${i}`, kind: 'Input' });
    expect(loadPlan(many).ok).toBe(false);

    const nested = minimal() as { nodes: { id: string; kind: string; parent?: string }[] };
    nested.nodes = [{ id: 'c0', kind: 'Map' }];
    for (let i = 1; i <= PLAN_LIMITS.maxNesting + 1; i++)
      nested.nodes.push({ id: `c${i}`, kind: 'Map', parent: `c${i - 1}` });
    const r = loadPlan(nested);
    expect(!r.ok && r.diagnostics[0]?.message).toMatch(/nested more than/);

    const cyc = loadPlan({
      ...minimal(),
      nodes: [
        { id: 'a', kind: 'Map', parent: 'b' },
        { id: 'b', kind: 'Map', parent: 'a' },
      ],
    });
    expect(!cyc.ok && cyc.diagnostics[0]?.code).toBe('container');
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = loadPlan(v);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('migrate', () => {
  const registry: Record<number, Migration> = {
    1: (doc) => ({ ...doc, renamed: doc.name }),
    2: (doc) => ({ ...doc, third: true }),
  };

  it('walks a document up one version at a time', () => {
    const r = migrate({ version: 1, name: 'x' }, 3, registry);
    expect(r).toEqual({ ok: true, from: 1, doc: { version: 3, name: 'x', renamed: 'x', third: true } });
    expect(migrate({ version: 2, name: 'x' }, 3, registry)).toMatchObject({ ok: true, from: 2 });
  });

  it('reports a missing step, a throwing step and a bad version', () => {
    expect(migrate({ version: 1 }, 4, registry)).toMatchObject({
      ok: false,
      message: /no migration from version 3/,
    });
    expect(
      migrate({ version: 1 }, 2, {
        1: () => {
          throw new Error('boom');
        },
      }),
    ).toMatchObject({ ok: false, message: /boom/ });
    expect(migrate({ version: '1' })).toMatchObject({ ok: false });
    expect(migrate({ version: 0 })).toMatchObject({ ok: false });
  });

  it('leaves a current document alone', () => {
    expect(migrate({ version: PLAN_VERSION, a: 1 })).toEqual({
      ok: true,
      from: PLAN_VERSION,
      doc: { version: PLAN_VERSION, a: 1 },
    });
  });
});

describe('helpers', () => {
  it('shows paths and measures depth', () => {
    expect(showPath(['nodes', 3, 'params', 'k'])).toBe('nodes[3].params.k');
    expect(showPath([])).toBe('(document)');
    expect(valueDepth({ a: [{ b: 1 }] }, 10)).toBe(3);
    expect(valueDepth({ a: [{ b: 1 }] }, 2)).toBe(-1);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../format/load.ts';
import type { Plan } from '../format/plan.ts';
import { catalog, nodeSpec } from '../nodes/catalog.ts';
import { canConnect, connectionChecker } from './connect.ts';

function fixture(name: string): Plan {
  const r = loadPlan(
    JSON.parse(readFileSync(new URL(`../format/fixtures/v1/${name}`, import.meta.url), 'utf8')),
  );
  if (!r.ok) throw new Error('fixture does not load');
  return r.plan;
}

describe('canConnect', () => {
  const needle = fixture('needle.json');
  const unwired = { ...needle, wires: needle.wires.filter((w) => w.id !== 'w12' && w.id !== 'w7') };

  it('accepts a wire whose types unify', () => {
    expect(canConnect(unwired, { node: 'best', port: 'result' }, { node: 'out', port: 'value' })).toEqual({
      ok: true,
    });
    expect(canConnect(unwired, { node: 'm.in', port: 'item' }, { node: 'm.llm', port: 'chunk' })).toEqual({
      ok: true,
    });
  });

  it('refuses a type mismatch, saying both types', () => {
    const r = canConnect(unwired, { node: 'split', port: 'parts' }, { node: 'm.llm', port: 'chunk' });
    expect(r.ok).toBe(false);
    const r2 = canConnect(unwired, { node: 'filter', port: 'kept' }, { node: 'm.llm', port: 'chunk' });
    expect(r2).toEqual({
      ok: false,
      reason: expect.stringMatching(/expects Str, but this output gives List<Str>/),
    });
  });

  it('refuses a wire that closes a loop, including into its own container body', () => {
    const r = canConnect(needle, { node: 'map', port: 'results' }, { node: 'filter', port: 'items' });
    expect(r.ok).toBe(false);
    const loop = canConnect(unwired, { node: 'best', port: 'result' }, { node: 'm.llm', port: 'chunk' });
    expect(loop).toEqual({ ok: false, reason: expect.stringMatching(/loop/) });
  });

  it('refuses a wire out of a body, into a taken input, or to a missing port', () => {
    expect(
      canConnect(unwired, { node: 'm.llm', port: 'text' }, { node: 'out', port: 'value' }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/leaves a body/),
    });
    expect(canConnect(needle, { node: 'in', port: 'text' }, { node: 'split', port: 'text' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/already has a wire/),
    });
    expect(canConnect(needle, { node: 'in', port: 'nope' }, { node: 'out', port: 'value' }).ok).toBe(false);
    expect(canConnect(needle, { node: 'ghost', port: 'text' }, { node: 'out', port: 'value' }).ok).toBe(
      false,
    );
  });

  it('one checker, analysed once, answers every wire as a fresh check does, in any order', () => {
    const ends = (dir: 'inputs' | 'outputs') =>
      unwired.nodes.flatMap((n) =>
        nodeSpec(n.kind)
          .ports(n, unwired, catalog)
          [dir].map((p) => ({ node: n.id, port: p.name })),
      );
    const pairs = ends('outputs').flatMap((from) => ends('inputs').map((to) => ({ from, to })));
    const ask = connectionChecker(unwired);
    // Twice over, forwards then backwards: an accepted wire's unification must not stay behind.
    for (const { from, to } of [...pairs, ...pairs.slice().reverse()])
      expect(ask(from, to), `${from.node}.${from.port} → ${to.node}.${to.port}`).toEqual(
        canConnect(unwired, from, to),
      );
    expect(pairs.some(({ from, to }) => ask(from, to).ok)).toBe(true);
    expect(pairs.some(({ from, to }) => !ask(from, to).ok)).toBe(true);
  });
});

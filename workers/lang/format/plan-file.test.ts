import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportPlanFile, parsePlanFile, planFileName, SecretInPlanError } from './plan-file.ts';

const frozen = readFileSync(new URL('./fixtures/v1/needle.json', import.meta.url), 'utf8');

describe('plan files', () => {
  it('reads a frozen version-1 plan file, with or without a byte-order mark', () => {
    const r = parsePlanFile(frozen);
    expect(r.ok && r.plan.nodes.length).toBeGreaterThan(0);
    expect(parsePlanFile(`\ufeff${frozen}`).ok).toBe(true);
  });

  it('exports the whole document and reads it back unchanged; unknown fields are dropped', () => {
    const r = parsePlanFile(frozen);
    if (!r.ok) throw new Error(r.error);
    const withExtras = { ...r.plan, apiKey: 'sk-never', input: { text: 'the document' } };
    const text = exportPlanFile(withExtras);
    expect(text).not.toContain('apiKey');
    const back = parsePlanFile(text);
    expect(back.ok && back.plan).toEqual({ ...r.plan, input: { text: 'the document' } });
  });

  it('refuses to export a plan holding one of the app’s secrets, and names the node', () => {
    const r = parsePlanFile(frozen);
    if (!r.ok) throw new Error(r.error);
    const key = 'sk-export-0123456789';
    const leaky = { ...r.plan, nodes: r.plan.nodes.map((n, i) => (i === 2 ? { ...n, label: key } : n)) };
    expect(() => exportPlanFile(leaky, { secrets: [key] })).toThrow(SecretInPlanError);
    expect(() => exportPlanFile(leaky, { secrets: [key] })).toThrow(`node “${r.plan.nodes[2]!.id}” (label)`);
    expect(() => exportPlanFile(leaky, { secrets: ['short'] })).not.toThrow();
  });

  it('says what is wrong with a file that is not a plan', () => {
    expect(parsePlanFile('{"name": ')).toMatchObject({ ok: false, error: /not valid JSON/ });
    expect(parsePlanFile('[]')).toMatchObject({ ok: false, error: /not a Fixpoint plan/ });
    expect(parsePlanFile('{"format":"fixpoint/plan","version":1}')).toMatchObject({
      ok: false,
      error: /The plan is not valid: .*name/,
    });
    expect(
      parsePlanFile(`{"format":"fixpoint/plan","version":99,"name":"x","nodes":[],"wires":[]}`),
    ).toMatchObject({
      ok: false,
      error: /newer Fixpoint/,
    });
    expect(parsePlanFile(`${'['.repeat(5000)}${']'.repeat(5000)}`)).toMatchObject({
      ok: false,
      error: /nested/,
    });
  });

  it('names files after the plan', () => {
    const r = parsePlanFile(frozen);
    if (!r.ok) throw new Error(r.error);
    expect(planFileName({ ...r.plan, name: 'Needle search: v2 (Café)' })).toBe(
      'needle-search-v2-cafe.fixpoint.json',
    );
    expect(planFileName({ ...r.plan, name: '???' })).toBe('plan.fixpoint.json');
  });
});

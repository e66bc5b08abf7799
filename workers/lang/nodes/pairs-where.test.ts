import { describe, expect, it } from 'vitest';
import { check } from '../check/typecheck.ts';
import { loadPlan } from '../format/load.ts';
import { evaluate } from '../run/evaluator.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { catalog, defaultParams } from './catalog.ts';
import type { Value } from './node-spec.ts';
import { pairsWhere } from './pairs-where.ts';

const params = { ...defaultParams('PairsWhere'), key: 'user', attribute: 'label' };
const records: Value[] = [
  [
    { user: '300', label: 'location' },
    { user: '20', label: 'human being' },
  ],
  [
    { user: '100', label: 'Location' },
    { user: '20', label: 'location' },
    { user: '300', label: 'location' },
  ],
  { user: '7', label: 'entity' },
];

describe('PairsWhere', () => {
  it('pairs the items both of whose attributes are named, grouping repeated records, lower key first', () => {
    expect(pairsWhere(records, params, { first: ['location'], second: ['location'] })).toEqual([
      ['20', '100'],
      ['20', '300'],
      ['100', '300'],
    ]);
  });

  it('pairs one side with the other, in either order', () => {
    expect(pairsWhere(records, params, { first: ['entity'], second: ['human being'] })).toEqual([
      ['7', '20'],
    ]);
    expect(pairsWhere(records, params, { first: ['human being'], second: ['entity'] })).toEqual([
      ['7', '20'],
    ]);
  });

  it('refuses what is not a record, rather than dropping it in silence', () => {
    for (const junk of ['not a record', { label: 'location' }, { user: null }, 42, { records: records }])
      expect(() => pairsWhere([...records, junk as Value], params, {})).toThrow(
        /records with a "user" field/,
      );
  });

  it('takes the condition from its params when none is wired; an empty side takes every item', () => {
    expect(pairsWhere(records, { ...params, first: 'entity', second: '' })).toEqual([
      ['7', '20'],
      ['7', '100'],
      ['7', '300'],
    ]);
    expect(pairsWhere([], params, { first: ['x'], second: ['x'] })).toEqual([]);
  });

  it('is a kind of the catalog: checked, typed and run on what a Map parsed', async () => {
    expect(catalog.PairsWhere?.group).toBe('symbolic');
    const plan = {
      format: 'fixpoint/plan',
      version: 1,
      name: 'pairs',
      nodes: [
        { id: 'in', kind: 'Input' },
        { id: 'split', kind: 'Split', params: { mode: 'lines', lines: 1 } },
        { id: 'map', kind: 'Map' },
        { id: 'map.in', kind: 'Entry', parent: 'map' },
        { id: 'parse', kind: 'Parse', parent: 'map', params: { as: 'json' } },
        { id: 'map.out', kind: 'Exit', parent: 'map' },
        {
          id: 'p',
          kind: 'PairsWhere',
          params: { key: 'user', attribute: 'label', first: 'entity', second: 'human being' },
        },
        { id: 'out', kind: 'Output' },
      ],
      wires: [
        ['in', 'text', 'split', 'text'],
        ['split', 'parts', 'map', 'items'],
        ['map.in', 'item', 'parse', 'text'],
        ['parse', 'value', 'map.out', 'result'],
        ['map', 'results', 'p', 'records'],
        ['p', 'pairs', 'out', 'value'],
      ].map(([a, b, c, d], i) => ({ id: `w${i}`, from: { node: a!, port: b! }, to: { node: c!, port: d! } })),
    };
    const checked = check(plan);
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(checked.portTypes.p?.pairs).toBe('List<Pair<Str, Str>>');
    const loaded = loadPlan(plan);
    if (!loaded.ok) throw new Error('does not load');
    const input = records.map((r) => JSON.stringify(r)).join('\n');
    const outcome = await evaluate(loaded.plan, { input, model: createScriptedModel() });
    expect(outcome.result).toEqual([['7', '20']]);
  });
});

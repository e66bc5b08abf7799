import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../format/load.ts';
import { catalog, NODE_KINDS, nodeSpec } from '../nodes/catalog.ts';
import type { DiagnosticCode } from './diagnostics.ts';
import { check, hasErrors } from './typecheck.ts';

type N = {
  id: string;
  kind: string;
  parent?: string;
  slot?: string;
  params?: Record<string, unknown>;
  label?: string;
};

/** Builds a plan document; wires are written "node.port > node.port" (the port follows the last dot). */
function doc(nodes: N[], wires: string[]) {
  return {
    format: 'fixpoint/plan',
    version: 1,
    name: 'test',
    nodes,
    wires: wires.map((w, i) => {
      const [from, to] = w.split('>').map((s) => s.trim()) as [string, string];
      const ref = (s: string) => ({
        node: s.slice(0, s.lastIndexOf('.')),
        port: s.slice(s.lastIndexOf('.') + 1),
      });
      return { id: `w${i}`, from: ref(from), to: ref(to) };
    }),
  };
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../format/fixtures/v1/${name}`, import.meta.url), 'utf8'));

/** Map over a Split with an LLM body, reduced with concat. */
const mapPlan = () =>
  doc(
    [
      { id: 'in', kind: 'Input' },
      { id: 'split', kind: 'Split' },
      { id: 'map', kind: 'Map' },
      { id: 'm.in', kind: 'Entry', parent: 'map' },
      { id: 'm.llm', kind: 'LLM', parent: 'map' },
      { id: 'm.out', kind: 'Exit', parent: 'map' },
      { id: 'red', kind: 'Reduce', params: { op: 'concat' } },
      { id: 'out', kind: 'Output' },
    ],
    [
      'in.text > split.text',
      'split.parts > map.items',
      'm.in.item > m.llm.chunk',
      'm.llm.text > m.out.result',
      'map.results > red.items',
      'red.result > out.value',
    ],
  );

const wired = (d: ReturnType<typeof doc>) => d;

function codes(d: unknown) {
  return check(d).diagnostics.filter((x) => x.severity === 'error');
}

describe('check: valid plans', () => {
  it('accepts the frozen fixtures and types every port', () => {
    for (const name of ['summary.json', 'needle.json']) {
      const r = check(fixture(name));
      expect(r.diagnostics, name).toEqual([]);
    }
    const r = check(fixture('summary.json'));
    expect(r.portTypes.fix).toEqual({ text: 'Str', result: 'Str' });
    expect(r.portTypes['map.self']).toEqual({ text: 'Str', result: 'Str' });
    expect(r.portTypes['step.map']).toEqual({ items: 'List<Str>', results: 'List<Str>' });
    expect(r.portTypes['red.in']).toEqual({ left: 'Str', right: 'Str' });
  });

  it('accepts every example in public/examples', () => {
    const dir = new URL('../../../public/examples/', import.meta.url);
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json');
    } catch {
      files = [];
    }
    for (const f of files) {
      const r = check(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
      expect(
        r.diagnostics.filter((d) => d.severity === 'error'),
        f,
      ).toEqual([]);
    }
  });

  it('types every port of every node, for the editor to colour', () => {
    const dir = new URL('../../../public/examples/', import.meta.url);
    let docs: unknown[] = [fixture('summary.json'), fixture('needle.json')];
    try {
      docs = docs.concat(
        readdirSync(dir)
          .filter((f) => f.endsWith('.json') && f !== 'index.json')
          .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8'))),
      );
    } catch {
      // no examples yet
    }
    for (const d of docs) {
      const loaded = loadPlan(d);
      if (!loaded.ok) throw new Error('does not load');
      const { portTypes } = check(d);
      for (const node of loaded.plan.nodes) {
        const ports = nodeSpec(node.kind).ports(node, loaded.plan, catalog);
        const names = [...ports.inputs, ...ports.outputs].map((p) => p.name).sort();
        expect(Object.keys(portTypes[node.id] ?? {}).sort(), node.id).toEqual(names);
        for (const t of Object.values(portTypes[node.id] ?? {})) expect(t).not.toBe('?');
      }
    }
  });

  it('infers through polymorphic nodes: Map of Parse to Counts merged', () => {
    const d = wired(mapPlan());
    d.nodes.push({ id: 'm.parse', kind: 'Parse', parent: 'map', params: { as: 'counts' } } as never);
    d.wires[3] = { id: 'w3', from: { node: 'm.llm', port: 'text' }, to: { node: 'm.parse', port: 'text' } };
    d.wires.push({
      id: 'w9',
      from: { node: 'm.parse', port: 'value' },
      to: { node: 'm.out', port: 'result' },
    });
    (d.nodes[6] as N).params = { op: 'merge-counts' };
    const r = check(d);
    expect(r.diagnostics).toEqual([]);
    expect(r.portTypes.map).toEqual({ items: 'List<Str>', results: 'List<Counts>' });
    expect(r.portTypes.out).toEqual({ value: 'Counts' });
  });
});

/** The catalogue of broken plans: each must fail with this code, at this node and port. */
const broken: {
  name: string;
  plan: () => unknown;
  code: DiagnosticCode;
  nodeId?: string;
  port?: string;
  expected?: string;
  actual?: string;
}[] = [
  {
    name: 'wrong type: a list into a text input',
    plan: () => {
      const d = mapPlan();
      d.nodes.push({ id: 'l2', kind: 'LLM' } as never);
      d.wires.push({ id: 'x', from: { node: 'split', port: 'parts' }, to: { node: 'l2', port: 'chunk' } });
      return d;
    },
    code: 'type-mismatch',
    nodeId: 'l2',
    port: 'chunk',
    expected: 'Str',
    actual: 'List<Str>',
  },
  {
    name: 'a wire out of a body into the outside',
    plan: () => {
      const d = mapPlan();
      d.nodes.push({ id: 'l2', kind: 'LLM' } as never);
      d.wires.push({ id: 'x', from: { node: 'm.llm', port: 'text' }, to: { node: 'l2', port: 'chunk' } });
      return d;
    },
    code: 'container',
    nodeId: 'l2',
    port: 'chunk',
  },
  {
    name: 'type mismatch: merge-counts over texts',
    plan: () => {
      const d = wired(mapPlan());
      (d.nodes[6] as N).params = { op: 'merge-counts' };
      return d;
    },
    code: 'type-mismatch',
    nodeId: 'red',
    port: 'items',
    expected: 'List<Counts>',
    actual: 'List<Str>',
  },
  {
    name: 'missing required input',
    plan: () => {
      const d = wired(mapPlan());
      d.wires.splice(0, 1);
      return d;
    },
    code: 'missing-input',
    nodeId: 'split',
    port: 'text',
  },
  {
    name: 'cycle outside Fix',
    plan: () =>
      doc(
        [
          { id: 'a', kind: 'Concat' },
          { id: 'sp', kind: 'Split' },
          { id: 'out', kind: 'Output' },
        ],
        ['a.text > sp.text', 'sp.parts > a.items', 'a.text > out.value'],
      ),
    code: 'cycle',
  },
  {
    name: "a body consuming its own container's output",
    plan: () => {
      const d = wired(mapPlan());
      d.nodes.push({ id: 'cc', kind: 'Concat', parent: 'map' } as never);
      d.wires.push({ id: 'x', from: { node: 'map', port: 'results' }, to: { node: 'cc', port: 'items' } });
      return d;
    },
    code: 'cycle',
  },
  {
    name: 'Self in the base case',
    plan: () => {
      const d = fixture('summary.json') as { nodes: N[] };
      d.nodes.push({ id: 'bad.self', kind: 'Self', parent: 'fix', slot: 'base' });
      return d;
    },
    code: 'termination',
    nodeId: 'bad.self',
  },
  {
    name: 'Self fed without a Split',
    plan: () => {
      const d = fixture('summary.json') as ReturnType<typeof doc>;
      // map.self takes the whole P instead of a piece.
      d.wires.push({
        id: 'bad',
        from: { node: 'step.in', port: 'text' },
        to: { node: 'map.self', port: 'text' },
      });
      d.wires = d.wires.filter((w) => w.id !== 'w6');
      return d;
    },
    code: 'termination',
    nodeId: 'map.self',
    port: 'text',
  },
  {
    name: 'Self fed from an LLM answer',
    plan: () => {
      const d = fixture('summary.json') as ReturnType<typeof doc>;
      d.nodes.push({ id: 'map.llm', kind: 'LLM', parent: 'step.map' } as never);
      d.wires = d.wires.filter((w) => w.id !== 'w6');
      d.wires.push(
        { id: 'a', from: { node: 'map.in', port: 'item' }, to: { node: 'map.llm', port: 'chunk' } },
        { id: 'b', from: { node: 'map.llm', port: 'text' }, to: { node: 'map.self', port: 'text' } },
      );
      return d;
    },
    code: 'termination',
    nodeId: 'map.self',
    port: 'text',
  },
  {
    name: 'Self fed by a Split by lines',
    plan: () => {
      const d = fixture('summary.json') as { nodes: N[] };
      (d.nodes.find((n) => n.id === 'step.split') as N).params = { mode: 'lines' };
      return d;
    },
    code: 'termination',
    nodeId: 'map.self',
  },
  {
    name: 'Self fed by a Split of something other than P',
    plan: () => {
      const d = fixture('summary.json') as ReturnType<typeof doc>;
      d.nodes.push({ id: 'step.q', kind: 'Query', parent: 'fix', slot: 'step' } as never);
      d.wires = d.wires.filter((w) => w.id !== 'w4');
      d.wires.push({
        id: 'q',
        from: { node: 'step.q', port: 'text' },
        to: { node: 'step.split', port: 'text' },
      });
      return d;
    },
    code: 'termination',
    nodeId: 'map.self',
  },
  {
    name: 'Reduce best on a filtered (maybe empty) list without a unit',
    plan: () => {
      const d = fixture('needle.json') as ReturnType<typeof doc>;
      d.wires = d.wires.filter((w) => w.id !== 'w11');
      return d;
    },
    code: 'empty-reduce',
    nodeId: 'best',
    port: 'unit',
  },
  {
    name: 'template names a variable nothing is wired to',
    plan: () => {
      const d = fixture('needle.json') as ReturnType<typeof doc>;
      d.wires = d.wires.filter((w) => w.id !== 'w8');
      return d;
    },
    code: 'template-variable',
    nodeId: 'm.llm',
    port: 'question',
  },
  {
    name: 'malformed template placeholder',
    plan: () => {
      const d = wired(mapPlan());
      (d.nodes[4] as N).params = { template: '{{chunk}} {{ two words }}' };
      return d;
    },
    code: 'template-variable',
    nodeId: 'm.llm',
  },
  {
    name: 'invalid parameter',
    plan: () => {
      const d = wired(mapPlan());
      (d.nodes[1] as N).params = { mode: 'parts', parts: 0 };
      return d;
    },
    code: 'invalid-param',
    nodeId: 'split',
  },
  {
    name: 'unsafe regex',
    plan: () => {
      const d = fixture('needle.json') as { nodes: N[] };
      (d.nodes.find((n) => n.id === 'f.match') as N).params = { mode: 'regex', pattern: '(a)\\1' };
      return d;
    },
    code: 'invalid-param',
    nodeId: 'f.match',
  },
  {
    name: 'wire to an unknown port',
    plan: () => {
      const d = wired(mapPlan());
      (d.wires[0] as { to: { port: string } }).to.port = 'txt';
      return d;
    },
    code: 'unknown-port',
    nodeId: 'split',
    port: 'txt',
  },
  {
    name: 'wire to an unknown node',
    plan: () => {
      const d = wired(mapPlan());
      (d.wires[0] as { to: { node: string } }).to.node = 'ghost';
      return d;
    },
    code: 'dangling-wire',
    nodeId: 'in',
  },
  {
    name: 'two wires into one input',
    plan: () => {
      const d = wired(mapPlan());
      d.nodes.push({ id: 'in2', kind: 'Input' } as never);
      d.wires.push({ id: 'x', from: { node: 'in2', port: 'text' }, to: { node: 'split', port: 'text' } });
      return d;
    },
    code: 'duplicate-wire',
    nodeId: 'split',
    port: 'text',
  },
  {
    name: 'a node in a slot the container does not have',
    plan: () => {
      const d = wired(mapPlan());
      (d.nodes[4] as N).slot = 'step';
      return d;
    },
    code: 'container',
    nodeId: 'm.llm',
  },
  {
    name: 'a node inside a non-container',
    plan: () => {
      const d = wired(mapPlan());
      d.nodes.push({ id: 'odd', kind: 'Query', parent: 'split' } as never);
      return d;
    },
    code: 'container',
    nodeId: 'odd',
  },
  {
    name: 'a body without an Exit',
    plan: () => {
      const d = wired(mapPlan());
      d.nodes = d.nodes.filter((n) => n.id !== 'm.out');
      d.wires = d.wires.filter((w) => w.to.node !== 'm.out');
      return d;
    },
    code: 'container',
    nodeId: 'map',
  },
  {
    name: 'a body on a Reduce with a built-in ⊕',
    plan: () => {
      const d = fixture('summary.json') as { nodes: N[] };
      (d.nodes.find((n) => n.id === 'step.reduce') as N).params = { op: 'concat' };
      return d;
    },
    code: 'container',
    nodeId: 'red.in',
  },
  {
    name: 'Self outside any Fix',
    plan: () => {
      const d = wired(mapPlan());
      d.nodes.push({ id: 'lost', kind: 'Self', parent: 'map' } as never);
      return d;
    },
    code: 'container',
    nodeId: 'lost',
  },
  {
    name: 'Filter body returning text',
    plan: () => {
      const d = fixture('needle.json') as ReturnType<typeof doc>;
      d.wires = d.wires.filter((w) => w.id !== 'w5');
      d.wires.push({
        id: 'x',
        from: { node: 'f.peek', port: 'preview' },
        to: { node: 'f.out', port: 'keep' },
      });
      return d;
    },
    code: 'type-mismatch',
    nodeId: 'f.out',
    port: 'keep',
    expected: 'Bool',
    actual: 'Str',
  },
  {
    name: 'Fix base and step disagree on R',
    plan: () => {
      const d = fixture('summary.json') as ReturnType<typeof doc>;
      d.nodes.push({
        id: 'base.parse',
        kind: 'Parse',
        parent: 'fix',
        slot: 'base',
        params: { as: 'int' },
      } as never);
      d.wires = d.wires.filter((w) => w.id !== 'w3');
      d.wires.push(
        { id: 'a', from: { node: 'base.llm', port: 'text' }, to: { node: 'base.parse', port: 'text' } },
        { id: 'b', from: { node: 'base.parse', port: 'value' }, to: { node: 'base.out', port: 'result' } },
      );
      return d;
    },
    code: 'type-mismatch',
  },
  {
    name: 'no Output',
    plan: () => {
      const d = wired(mapPlan());
      d.nodes = d.nodes.filter((n) => n.kind !== 'Output');
      d.wires = d.wires.filter((w) => w.to.node !== 'out');
      return d;
    },
    code: 'output',
  },
  { name: 'not a plan', plan: () => ({ hello: 'world' }), code: 'schema' },
  {
    name: 'unknown kind',
    plan: () => {
      const d = wired(mapPlan());
      (d.nodes[1] as N).kind = 'Spilt';
      return d;
    },
    code: 'schema',
    nodeId: 'split',
  },
  {
    name: 'Const value of the wrong type',
    plan: () => {
      const d = fixture('needle.json') as { nodes: N[] };
      (d.nodes.find((n) => n.id === 'none') as N).params = { type: 'Int', value: 'x' };
      return d;
    },
    code: 'invalid-param',
    nodeId: 'none',
  },
];

describe('check: the catalogue of broken plans', () => {
  for (const b of broken) {
    it(b.name, () => {
      const errors = codes(b.plan());
      const hit = errors.find(
        (d) =>
          d.code === b.code &&
          (b.nodeId === undefined || d.nodeId === b.nodeId) &&
          (b.port === undefined || d.port === b.port),
      );
      expect(hit, JSON.stringify(errors, null, 1)).toBeDefined();
      if (b.expected) expect(hit?.expected).toBe(b.expected);
      if (b.actual) expect(hit?.actual).toBe(b.actual);
      expect(hit?.message.length).toBeGreaterThan(10);
    });
  }

  it('names the offending path of a termination error', () => {
    const d = fixture('summary.json') as { nodes: N[] };
    (d.nodes.find((n) => n.id === 'step.split') as N).params = { mode: 'lines' };
    const t = codes(d).find((x) => x.code === 'termination');
    expect(t?.path).toEqual(['step.split', 'step.map', 'map.in', 'map.self']);
  });

  it('names the nodes of a cycle', () => {
    const d = broken.find((b) => b.name === 'cycle outside Fix')?.plan();
    const c = codes(d).find((x) => x.code === 'cycle');
    expect(new Set(c?.path)).toEqual(new Set(['a', 'sp']));
  });
});

describe('check never throws', () => {
  it('on random JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = check(v);
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const kinds = [...NODE_KINDS];
  const ports = [
    'text',
    'parts',
    'items',
    'results',
    'kept',
    'result',
    'value',
    'item',
    'left',
    'right',
    'unit',
    'chunk',
    'pairs',
    'preview',
    'match',
    'keep',
    'x',
  ];

  it('on random graphs of real kinds and ports', () => {
    const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    const node = fc.record(
      {
        id: ids,
        kind: fc.constantFrom(...kinds),
        parent: ids,
        slot: fc.constantFrom('body', 'base', 'step'),
        params: fc.dictionary(
          fc.constantFrom('op', 'mode', 'as', 'template', 'type', 'value', 'parts'),
          fc.jsonValue({ maxDepth: 2 }),
        ),
      },
      { requiredKeys: ['id', 'kind'] },
    );
    const wire = fc.record({
      id: fc.string({ minLength: 1, maxLength: 3 }).map((s) => `w${s.replace(/[^A-Za-z0-9]/g, '')}`),
      from: fc.record({ node: ids, port: fc.constantFrom(...ports) }),
      to: fc.record({ node: ids, port: fc.constantFrom(...ports) }),
    });
    fc.assert(
      fc.property(fc.array(node, { maxLength: 12 }), fc.array(wire, { maxLength: 20 }), (nodes, wires) => {
        const r = check({ format: 'fixpoint/plan', version: 1, name: 'r', nodes, wires });
        for (const d of r.diagnostics) expect(typeof d.message).toBe('string');
      }),
      { numRuns: 1500 },
    );
  });

  it('on mutations of valid plans', () => {
    const bases = [fixture('summary.json'), fixture('needle.json')] as ReturnType<typeof doc>[];
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('drop-node' as const), i: fc.nat() }),
      fc.record({ op: fc.constant('drop-wire' as const), i: fc.nat() }),
      fc.record({ op: fc.constant('reparent' as const), i: fc.nat(), j: fc.nat() }),
      fc.record({ op: fc.constant('rewire' as const), i: fc.nat(), j: fc.nat(), k: fc.nat() }),
      fc.record({ op: fc.constant('kind' as const), i: fc.nat(), kind: fc.constantFrom(...kinds) }),
      fc.record({
        op: fc.constant('param' as const),
        i: fc.nat(),
        key: fc.constantFrom('op', 'mode', 'as', 'template'),
        value: fc.jsonValue({ maxDepth: 1 }),
      }),
    );
    fc.assert(
      fc.property(fc.nat(1), fc.array(mutation, { minLength: 1, maxLength: 6 }), (which, mutations) => {
        const d = structuredClone(bases[which]) as {
          nodes: N[];
          wires: { from: { node: string; port: string }; to: { node: string; port: string } }[];
        };
        for (const m of mutations) {
          const n = d.nodes.length;
          const w = d.wires.length;
          if (m.op === 'drop-node' && n) d.nodes.splice(m.i % n, 1);
          if (m.op === 'drop-wire' && w) d.wires.splice(m.i % w, 1);
          if (m.op === 'reparent' && n) (d.nodes[m.i % n] as N).parent = d.nodes[m.j % n]?.id;
          if (m.op === 'rewire' && w && n) {
            const wire = d.wires[m.i % w];
            if (wire)
              wire.to = {
                node: (d.nodes[m.j % n] as N).id,
                port: (d.wires[m.k % w] as { to: { port: string } }).to.port,
              };
          }
          if (m.op === 'kind' && n) (d.nodes[m.i % n] as N).kind = m.kind;
          if (m.op === 'param' && n) (d.nodes[m.i % n] as N).params = { [m.key]: m.value };
        }
        const r = check(d);
        expect(r.diagnostics.every((x) => typeof x.message === 'string')).toBe(true);
        if (!hasErrors(r.diagnostics)) expect(Object.keys(r.portTypes).length).toBeGreaterThan(0);
      }),
      { numRuns: 1500 },
    );
  });
});

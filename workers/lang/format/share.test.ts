import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isNodeKind, resolveParams } from '../nodes/catalog.ts';
import { deflateRaw, fromBase64Url, inflateRaw, toBase64Url } from './deflate.ts';
import { loadPlan } from './load.ts';
import { PLAN_VERSION, type Plan, type PlanInput, planSchema } from './plan.ts';
import { SecretInPlanError } from './plan-file.ts';
import { decodeShareLink, encodeShareLink, SHARE_LIMITS, sharedForm, shareParam } from './share.ts';

const FIXTURES = new URL('./fixtures/links/', import.meta.url);
const EXAMPLES = new URL('../../../public/examples/', import.meta.url);

/** A plan written here so the codec is tested whatever the example gallery holds. */
const needle: PlanInput = {
  format: 'fixpoint/plan',
  version: PLAN_VERSION,
  name: 'Needle search',
  description: 'Finds the one sentence that answers the query.',
  query: 'What is the secret code for falcon?',
  input: { text: 'Lorem ipsum. The secret code for falcon is 4711. Dolor sit amet.' },
  nodes: [
    { id: 'input', kind: 'Input' },
    { id: 'query', kind: 'Query' },
    { id: 'split', kind: 'Split', params: { mode: 'k', k: 4 } },
    { id: 'map', kind: 'Map' },
    { id: 'map-in', kind: 'Entry', parent: 'map', slot: 'body' },
    {
      id: 'llm',
      kind: 'LLM',
      parent: 'map',
      slot: 'body',
      params: { template: 'Find {{query}} in {{chunk}}' },
    },
    { id: 'map-out', kind: 'Exit', parent: 'map', slot: 'body' },
    { id: 'reduce', kind: 'Reduce', params: { op: 'best' } },
    { id: 'out', kind: 'Output' },
  ],
  wires: [
    { id: 'w1', from: { node: 'input', port: 'out' }, to: { node: 'split', port: 'in' } },
    { id: 'w2', from: { node: 'split', port: 'out' }, to: { node: 'map', port: 'in' } },
    { id: 'w3', from: { node: 'map-in', port: 'out' }, to: { node: 'llm', port: 'chunk' } },
    { id: 'w4', from: { node: 'llm', port: 'out' }, to: { node: 'map-out', port: 'in' } },
    { id: 'w5', from: { node: 'map', port: 'out' }, to: { node: 'reduce', port: 'in' } },
    { id: 'w6', from: { node: 'reduce', port: 'out' }, to: { node: 'out', port: 'in' } },
  ],
  planner: { alpha: 0.9 },
  view: {
    positions: { input: { x: 10.4, y: 20.6 }, map: { x: 300.25, y: 80 }, ghost: { x: 1, y: 1 } },
    sizes: { map: { width: 420.7, height: 240.2 } },
    viewport: { x: 12.3, y: -4.5, zoom: 1.25 },
  },
};
const plan: Plan = planSchema.parse(needle);

/** The JSON inside a link, for looking at what travels. */
async function payloadOf(link: string): Promise<string> {
  const bytes = fromBase64Url(shareParam(link)!.split('.')[1]!)!;
  const r = await inflateRaw(bytes, 1 << 24);
  if (!r.ok) throw new Error(r.error);
  return new TextDecoder().decode(r.bytes);
}

async function linkOf(json: string, version = PLAN_VERSION): Promise<string> {
  return `#p=${version}.${toBase64Url(await deflateRaw(new TextEncoder().encode(json)))}`;
}

/** What a link must preserve: everything but the viewport, sub-pixel noise, and positions of no node. */
/** The plan with every node's params resolved: what it means, whichever params are written out. */
const meaning = (p: Plan) => ({
  ...p,
  nodes: p.nodes.map((n) => (isNodeKind(n.kind) ? { ...n, params: resolveParams(n.kind, n.params) } : n)),
});

function expectSamePlan(actual: Plan, expected: Plan, withInput: boolean) {
  const { view: av, input: ai, ...aRest } = meaning(actual);
  const { view: ev, input: ei, ...eRest } = meaning(expected);
  expect(aRest).toEqual(eRest);
  expect(ai.generator).toEqual(ei.generator);
  expect(ai.text).toEqual(withInput ? ei.text : undefined);
  const ids = new Set(expected.nodes.map((n) => n.id));
  const round = (o: Record<string, Record<string, number>>) =>
    Object.fromEntries(
      Object.entries(o)
        .filter(([id]) => ids.has(id))
        .map(([id, b]) => [id, Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Math.round(v)]))]),
    );
  expect(av.positions).toEqual(round(ev.positions));
  expect(av.sizes).toEqual(round(ev.sizes));
  expect(av.viewport).toBeUndefined();
}

describe('encodeShareLink / decodeShareLink', () => {
  it('makes #p=<version>.<base64url> and opens it again as the same plan, without the input by default', async () => {
    const link = await encodeShareLink(plan, { includeInput: false });
    expect(link).toMatch(new RegExp(`^#p=${PLAN_VERSION}\\.[A-Za-z0-9_-]+$`));
    const r = await decodeShareLink(link);
    if (!r.ok) throw new Error(r.error);
    expect(r.migratedFrom).toBeUndefined();
    expectSamePlan(r.plan, plan, false);
    expect(await payloadOf(link)).not.toContain('4711');
  });

  it('carries the input only when asked, and refuses one above the cap', async () => {
    const r = await decodeShareLink(await encodeShareLink(plan, { includeInput: true }));
    if (!r.ok) throw new Error(r.error);
    expectSamePlan(r.plan, plan, true);

    const atCap = { ...plan, input: { text: 'é'.repeat(SHARE_LIMITS.maxInputBytes / 2) } };
    const ok = await decodeShareLink(await encodeShareLink(atCap, { includeInput: true }));
    expect(ok.ok && ok.plan.input.text).toBe(atCap.input.text);

    const over = { ...plan, input: { text: `${'é'.repeat(SHARE_LIMITS.maxInputBytes / 2)}x` } };
    await expect(encodeShareLink(over, { includeInput: true })).rejects.toMatchObject({
      code: 'input-too-large',
    });
    // Not asked: a large input is simply left out.
    const without = await decodeShareLink(await encodeShareLink(over, { includeInput: false }));
    expect(without.ok && without.plan.input.text).toBeUndefined();
  });

  it('refuses to make a link too long for any Fixpoint to open', async () => {
    let seed = 7;
    const noise = () =>
      Array.from({ length: 8 }, () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed.toString(36);
      }).join('');
    const huge = planSchema.parse({
      ...needle,
      nodes: Array.from({ length: 1500 }, (_, i) => ({
        id: `n${i}`,
        kind: 'Const',
        label: noise(),
      })),
      wires: [],
      view: {},
    });
    await expect(encodeShareLink(huge, { includeInput: false })).rejects.toMatchObject({ code: 'too-large' });
  });

  it('keeps a sample generator: it is a recipe, not the user’s document', async () => {
    const gen = planSchema.parse({
      ...needle,
      input: { generator: { name: 'sniah', params: { tokens: 8000 } } },
    });
    const r = await decodeShareLink(await encodeShareLink(gen, { includeInput: false }));
    expect(r.ok && r.plan.input.generator).toEqual({ name: 'sniah', params: { tokens: 8000 } });
  });

  it('never carries fields outside the plan format (keys, endpoints, settings smuggled onto the object)', async () => {
    const smuggled = {
      ...plan,
      apiKey: 'sk-live-should-never-travel',
      provider: { baseUrl: 'https://llm.internal.example/v1', key: 'sk-2' },
      settings: { theme: 'dark' },
      nodes: plan.nodes.map((n) => ({ ...n, apiKey: 'sk-node', endpoint: 'https://x.example' })),
      view: { ...plan.view, selection: ['map'] },
    } as unknown as Plan;
    const json = await payloadOf(await encodeShareLink(smuggled, { includeInput: true }));
    for (const s of ['sk-', 'apiKey', 'baseUrl', 'endpoint', 'https://', 'theme', 'selection', 'viewport']) {
      expect(json).not.toContain(s);
    }
  });

  it('refuses to share a plan that contains one of the app’s secrets, and says where', async () => {
    const key = 'sk-test-ABCDEF0123456789';
    const leaky = planSchema.parse({
      ...needle,
      nodes: needle.nodes.map((n) =>
        n.id === 'llm' ? { ...n, params: { template: `Authorization: Bearer ${key} {{chunk}}` } } : n,
      ),
    });
    const err = await encodeShareLink(leaky, { includeInput: false, secrets: [key] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SecretInPlanError);
    expect((err as SecretInPlanError).code).toBe('contains-secret');
    expect((err as SecretInPlanError).message).toContain('node “llm” (params.template)');
    expect((err as SecretInPlanError).message).not.toContain(key);
    // In the input too, when the input is asked for.
    const inInput = { ...plan, input: { text: `my key is ${key}` } };
    await expect(encodeShareLink(inInput, { includeInput: true, secrets: [key] })).rejects.toMatchObject({
      code: 'contains-secret',
    });
    await expect(encodeShareLink(inInput, { includeInput: false, secrets: [key] })).resolves.toMatch(/^#p=/);
  });

  it('drops defaults, the viewport and rounding noise, which makes links shorter', async () => {
    const form = sharedForm(plan, { includeInput: false });
    expect(form).not.toHaveProperty('format');
    expect(form).not.toHaveProperty('version');
    expect(form.planner).toEqual({ alpha: 0.9 });
    expect(form.view).toEqual({
      positions: { input: { x: 10, y: 21 }, map: { x: 300, y: 80 } },
      sizes: { map: { width: 421, height: 240 } },
    });
    expect((form.nodes as Record<string, unknown>[])[0]).toEqual({ id: 'input', kind: 'Input' });
    const naive = await linkOf(JSON.stringify({ ...plan, input: {} }));
    const link = await encodeShareLink(plan, { includeInput: false });
    expect(link.length).toBeLessThan(naive.length);
  });

  it('reads the hash with other parameters around p=', async () => {
    const link = await encodeShareLink(plan, { includeInput: false });
    const r = await decodeShareLink(`#x=1&${link.slice(1)}&y=2`);
    expect(r.ok).toBe(true);
    expect(shareParam('#view=tree')).toBeNull();
  });

  it('tolerates the punctuation a sentence glues to the end of a link', async () => {
    const link = await encodeShareLink(plan, { includeInput: false });
    for (const tail of ['.', ')', ').', '»', '"']) expect((await decodeShareLink(link + tail)).ok).toBe(true);
  });
});

describe('decodeShareLink refuses broken and hostile links with a clear message', () => {
  const refused = async (hash: string | Promise<string>, message: RegExp) => {
    const r = await decodeShareLink(await hash);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  };

  it('not a link, malformed, unknown versions, empty', async () => {
    await refused('', /not a Fixpoint share link/);
    await refused('#code/abc', /not a Fixpoint share link/);
    await refused('#p=abc', /malformed/);
    await refused('#p=0.AAAA', /never existed/);
    await refused(`#p=${PLAN_VERSION + 1}.AAAA`, new RegExp(`newer Fixpoint .*format ${PLAN_VERSION + 1}`));
    await refused('#p=1.', /cut when copied/);
  });

  it('damaged data: foreign characters, impossible base64, not deflate, cut short, not UTF-8', async () => {
    await refused('#p=1.abc+def', /characters a share link never contains/);
    await refused('#p=1.a', /characters a share link never contains/);
    await refused('#p=1.AAAAAAAAAAAA', /does not decompress|not valid JSON/);
    const good = await encodeShareLink(plan, { includeInput: false });
    await refused(good.slice(0, good.length - 12), /cut short|does not decompress/);
    const latin1 = await deflateRaw(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    await refused(`#p=1.${toBase64Url(latin1)}`, /not UTF-8/);
  });

  it('too long, or a zip bomb: inflating stops at the cap', async () => {
    await refused(`#p=1.${'A'.repeat(SHARE_LIMITS.maxPayloadChars + 1)}`, /too long/);
    const bomb = await deflateRaw(new Uint8Array(16 * 1024 * 1024).fill(0x20));
    const link = `#p=1.${toBase64Url(bomb)}`;
    expect(link.length).toBeLessThan(SHARE_LIMITS.maxPayloadChars);
    await refused(link, /expands to more than 1 MB/);
  });

  it('not a plan: JSON junk, arrays, deep nesting, __proto__, foreign format, version mismatch', async () => {
    await refused(linkOf('{"name": '), /not valid JSON/);
    await refused(linkOf('[1,2,3]'), /does not hold a plan/);
    await refused(linkOf('"hello"'), /does not hold a plan/);
    await refused(linkOf(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), /nested more than/);
    await refused(linkOf('{"name":"x","nodes":[],"wires":[],"__proto__":{"polluted":true}}'), /__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await refused(
      linkOf('{"format":"excalidraw","name":"x","nodes":[],"wires":[]}'),
      /not hold a Fixpoint plan/,
    );
    await refused(
      linkOf('{"version":1,"name":"x","nodes":[],"wires":[]}'),
      new RegExp(`says format ${PLAN_VERSION} but its plan says 1`),
    );
  });

  it('invalid plans: unknown kinds, missing fields, limits', async () => {
    await refused(linkOf('{"name":"x","nodes":[{"id":"a","kind":"Eval"}],"wires":[]}'), /not valid/);
    await refused(linkOf('{"nodes":[],"wires":[]}'), /not valid/);
    const many = Array.from({ length: 2001 }, (_, i) => ({ id: `n${i}`, kind: 'Const' }));
    await refused(linkOf(JSON.stringify({ name: 'x', nodes: many, wires: [] })), /not valid/);
    await refused(linkOf(JSON.stringify({ name: 'x'.repeat(201), nodes: [], wires: [] })), /not valid/);
  });
});

describe('frozen links: every link ever made must open forever', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'));

  it('has frozen links for every format version up to the current one', () => {
    for (let v = 1; v <= PLAN_VERSION; v++) {
      expect(files.filter((f) => f.startsWith(`v${v}-`)).length, `fixtures for version ${v}`).toBeGreaterThan(
        0,
      );
    }
  });

  for (const file of files) {
    it(`${file} opens${file.startsWith(`v${PLAN_VERSION}-`) ? '' : ', migrated to the current format'}`, async () => {
      const version = Number(/^v(\d+)-/.exec(file)?.[1]);
      const link = readFileSync(new URL(file, FIXTURES), 'utf8').trim();
      expect(link.startsWith(`#p=${version}.`)).toBe(true);
      const r = await decodeShareLink(link);
      if (!r.ok) throw new Error(`${file}: ${r.error}`);
      expect(r.migratedFrom).toBe(version === PLAN_VERSION ? undefined : version);
      expect(r.plan.version).toBe(PLAN_VERSION);
      expect(r.plan.name.length).toBeGreaterThan(0);
      expect(planSchema.safeParse(r.plan).success).toBe(true);
      // A link frozen from a frozen plan file opens as that file loads (both migrate the same way).
      const twin = new URL(
        `../v${version}/${file.replace(/^v\d+-/, '').replace(/\.txt$/, '.json')}`,
        FIXTURES,
      );
      if (existsSync(twin)) {
        const fromFile = loadPlan(JSON.parse(readFileSync(twin, 'utf8')));
        if (!fromFile.ok) throw new Error(`${twin.pathname} does not load`);
        expectSamePlan(r.plan, fromFile.plan, true);
      }
    });
  }
});

describe('every example plan travels through a link', () => {
  const examples = (() => {
    try {
      return readdirSync(EXAMPLES).filter((f) => f.endsWith('.json') && f !== 'index.json');
    } catch {
      return [];
    }
  })();
  for (const file of examples) {
    it(`${file} round-trips`, async () => {
      const loaded = loadPlan(JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')));
      if (!loaded.ok) throw new Error(`${file} does not load`);
      const example = loaded.plan;
      for (const includeInput of [false, true]) {
        const withInput = includeInput && (example.input.text ?? '').length <= SHARE_LIMITS.maxInputBytes;
        const link = await encodeShareLink(example, { includeInput: withInput });
        // The issue's goal for links of the examples (docs/benchmarks.md measures them all).
        if (!withInput) expect(link.length).toBeLessThan(1_500);
        const r = await decodeShareLink(link);
        if (!r.ok) throw new Error(`${file}: ${r.error}`);
        expectSamePlan(r.plan, example, withInput);
      }
    });
  }
});

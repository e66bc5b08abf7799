/**
 * Fuzz: every number a plan, a link or a plan file can carry, set to what an attacker would try (10¹²,
 * −1, 2⁵³ + 2, 1e308, fractions, NaN and ±Infinity as JSON writes them). Each one is either refused with
 * a message, or accepted within the bounds the schema and the node catalog state; what accepts it
 * (the checker, the planner, the share decoder) never throws, and no sample is ever asked for more than
 * PLAN_LIMITS.maxSampleTokens.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, hasErrors } from '../check/typecheck.ts';
import { catalog, nodeSpec, resolveParams } from '../nodes/catalog.ts';
import { estimate } from '../plan/planner.ts';
import { sampleGenerator } from '../samples/index.ts';
import { deflateRaw, toBase64Url } from './deflate.ts';
import { loadPlan } from './load.ts';
import { PLAN_LIMITS, PLAN_VERSION, type Plan } from './plan.ts';
import { decodeShareLink } from './share.ts';

const EXAMPLES = new URL('../../../public/examples/', import.meta.url);
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map((f) => JSON.parse(readFileSync(new URL(f, EXAMPLES), 'utf8')) as Record<string, unknown>);

/** Numbers an attacker would try, and ordinary ones, as they come out of JSON.parse(JSON.stringify(·)). */
const hostileNumber = fc.oneof(
  fc.constantFrom(
    1e12,
    1e9,
    -1,
    0,
    -0,
    0.5,
    2 ** 31,
    2 ** 31 - 1,
    2 ** 32,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ),
  fc.integer({ min: -1_000_000, max: 10_000_000 }),
  fc.double({ noNaN: false }),
);

type Doc = Record<string, unknown> & {
  nodes: { id: string; kind: string; params?: Record<string, unknown> }[];
  planner?: Record<string, unknown>;
  input?: Record<string, unknown>;
  view?: Record<string, unknown>;
};

/** Every place a number lives in a plan document, as a setter. */
function numericPlaces(doc: Doc): ((d: Doc, v: number) => void)[] {
  const places: ((d: Doc, v: number) => void)[] = [];
  doc.nodes.forEach((node, i) => {
    const spec = catalog[node.kind as keyof typeof catalog];
    for (const p of spec?.params ?? []) {
      if (p.kind === 'int' || p.kind === 'number') {
        places.push((d, v) => {
          const n = d.nodes[i]!;
          n.params = { ...(n.params ?? {}), [p.name]: v };
        });
      }
    }
  });
  for (const key of ['alpha', 'leafAccuracy', 'rho', 'combineAccuracy', 'outputReserve', 'contextWindow']) {
    places.push((d, v) => {
      d.planner = { ...(d.planner ?? {}), [key]: v };
    });
  }
  for (const key of ['maxCalls', 'maxTokens', 'maxWallMs']) {
    places.push((d, v) => {
      d.planner = { ...(d.planner ?? {}), budgets: { [key]: v } };
    });
  }
  for (const key of ['tokens', 'seed']) {
    places.push((d, v) => {
      d.input = { generator: { name: 'sniah', params: { [key]: v } } };
    });
  }
  places.push((d, v) => {
    d.view = { positions: { [d.nodes[0]!.id]: { x: v, y: 0 } } };
  });
  places.push((d, v) => {
    d.view = { sizes: { [d.nodes[0]!.id]: { width: v, height: 10 } } };
  });
  places.push((d, v) => {
    d.view = { viewport: { x: 0, y: 0, zoom: v } };
  });
  return places;
}

/** The document as a file or a link would carry it: NaN and ±Infinity become null, −0 becomes 0. */
const asJson = (doc: Doc): Doc => JSON.parse(JSON.stringify(doc)) as Doc;

/** Every numeric parameter of every node is within its spec's bounds. */
function expectParamsInBounds(plan: Plan) {
  for (const node of plan.nodes) {
    const params = resolveParams(node.kind, node.params);
    for (const p of nodeSpec(node.kind).params) {
      const v = params[p.name];
      if ((p.kind === 'int' || p.kind === 'number') && typeof v === 'number') {
        expect(v).toBeGreaterThanOrEqual(p.min as number);
        expect(v).toBeLessThanOrEqual(p.max as number);
      }
    }
  }
}

async function linkOf(doc: Doc): Promise<string> {
  const { format: _f, version: _v, ...rest } = doc;
  const bytes = await deflateRaw(new TextEncoder().encode(JSON.stringify(rest)));
  return `#p=${PLAN_VERSION}.${toBase64Url(bytes)}`;
}

describe('numbers in plans, files and links are bounded', () => {
  it('every numeric parameter of every node kind declares a finite minimum and maximum', () => {
    for (const spec of Object.values(catalog)) {
      for (const p of spec.params) {
        if (p.kind !== 'int' && p.kind !== 'number') continue;
        expect(Number.isFinite(p.min), `${spec.kind}.${p.name} min`).toBe(true);
        expect(Number.isFinite(p.max), `${spec.kind}.${p.name} max`).toBe(true);
      }
    }
  });

  it('any number anywhere: refused with a message, or accepted within bounds, and nothing throws', () => {
    const cases = examples.map((doc) => ({ doc: doc as Doc, places: numericPlaces(doc as Doc) }));
    fc.assert(
      fc.property(fc.nat({ max: cases.length - 1 }), fc.nat(), hostileNumber, (which, where, value) => {
        const { doc, places } = cases[which]!;
        const mutated = structuredClone(doc);
        places[where % places.length]!(mutated, value);
        const loaded = loadPlan(asJson(mutated));
        if (!loaded.ok) {
          expect(loaded.diagnostics.length).toBeGreaterThan(0);
          expect(loaded.diagnostics[0]!.message.length).toBeGreaterThan(0);
          return;
        }
        const { plan } = loaded;
        const tokens = plan.input.generator?.params.tokens;
        if (tokens !== undefined) expect(tokens).toBeLessThanOrEqual(PLAN_LIMITS.maxSampleTokens);
        const budgets = plan.planner.budgets;
        if (budgets.maxWallMs !== undefined)
          expect(budgets.maxWallMs).toBeLessThanOrEqual(PLAN_LIMITS.maxTimerMs);
        const zoom = plan.view.viewport?.zoom;
        if (zoom !== undefined) expect(zoom).toBeGreaterThanOrEqual(PLAN_LIMITS.minZoom);
        const { diagnostics } = check(plan);
        if (hasErrors(diagnostics)) return;
        expectParamsInBounds(plan);
        const e = estimate(plan, { inputTokens: 20_000, contextWindow: 8192 });
        expect(e.kStar).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 600, seed: 13 },
    );
  });

  it('the same numbers in links: the decoder answers with a plan or a message, never more', async () => {
    const docs = examples as Doc[];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: docs.length - 1 }),
        fc.nat(),
        hostileNumber,
        async (which, where, value) => {
          const doc = structuredClone(docs[which]!);
          const places = numericPlaces(doc);
          places[where % places.length]!(doc, value);
          const direct = loadPlan(asJson(doc));
          const decoded = await decodeShareLink(await linkOf(doc));
          expect(decoded.ok).toBe(direct.ok);
          if (!decoded.ok) expect(decoded.error).toMatch(/\S/);
        },
      ),
      { numRuns: 300, seed: 21 },
    );
  });

  it('a link asking for a 10¹² (or 10⁹) token sample is refused; the largest accepted one is made quickly', async () => {
    const base = structuredClone(
      examples.find((d) => d.name === 'S-NIAH: needle in a haystack') ?? examples[0]!,
    ) as Doc;
    for (const tokens of [1e12, 1e9]) {
      const doc = { ...base, input: { generator: { name: 'sniah', params: { tokens, seed: 1 } } } };
      const decoded = await decodeShareLink(await linkOf(doc));
      expect(decoded.ok).toBe(false);
      expect(decoded.ok ? '' : decoded.error).toMatch(/input\.generator\.params\.tokens/);
    }
    const doc = {
      ...base,
      input: { generator: { name: 'sniah', params: { tokens: PLAN_LIMITS.maxSampleTokens, seed: 1 } } },
    };
    const decoded = await decodeShareLink(await linkOf(doc));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const params = decoded.plan.input.generator!.params;
    const sample = sampleGenerator('sniah')!.generate({ tokens: params.tokens!, seed: params.seed! });
    expect(sample.text.length).toBeLessThanOrEqual(4 * PLAN_LIMITS.maxSampleTokens + 10_000);
  });

  it('a wall-time budget past what a timer can wait is refused, not turned into "at once"', () => {
    const doc = { ...(structuredClone(examples[0]!) as Doc), planner: { budgets: { maxWallMs: 1e12 } } };
    const loaded = loadPlan(doc);
    expect(loaded.ok).toBe(false);
    expect(loaded.ok ? '' : loaded.diagnostics[0]!.message).toMatch(/planner\.budgets\.maxWallMs/);
  });
});

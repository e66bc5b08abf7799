/**
 * Fuzz: thousands of random and mutated links, plan files and run logs. Whatever comes in, the readers
 * answer with a plan/log or a message: no crash, no rejected promise, no uncaught exception, no prototype
 * pollution, nothing evaluated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { syntheticLog } from '../../../test/synthetic-log.ts';
import { deflateRaw, toBase64Url } from './deflate.ts';
import { planSchema } from './plan.ts';
import { parsePlanFile } from './plan-file.ts';
import { decodeShareLink } from './share.ts';
import { parseTrace, serializeTrace } from './trace-file.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const links = readdirSync(new URL('links/', FIXTURES))
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(new URL(`links/${f}`, FIXTURES), 'utf8').trim());
const planTexts = readdirSync(new URL('v1/', FIXTURES)).map((f) =>
  readFileSync(new URL(`v1/${f}`, FIXTURES), 'utf8'),
);
const plans = planTexts.map((t) => JSON.parse(t) as Record<string, unknown>);
const traceText = serializeTrace(syntheticLog({ k: 2, depth: 2, deltas: true, failLeaves: new Set([1]) }));

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const evalSpy = vi.spyOn(globalThis, 'eval');
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

/** Nothing leaked into the global objects and nothing was evaluated. */
function expectNoSideEffects() {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(evalSpy).not.toHaveBeenCalled();
  expect(unhandled).toEqual([]);
}

/** Values an attacker would try, beside random JSON. */
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'Eval',
    '{{constructor.constructor("return process")()}}',
    'javascript:alert(1)',
    '<img src=x onerror="globalThis.polluted=1">',
    '(?:a+)+$',
    'x'.repeat(200_001),
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    { constructor: { prototype: { polluted: true } } },
    JSON.parse('{"__proto__": {"polluted": true}}'),
    Array.from({ length: 3000 }, (_, i) => ({ id: `n${i}`, kind: 'Const' })),
    JSON.parse(`${'{"a":'.repeat(300)}1${'}'.repeat(300)}`),
  ),
);

/** Every path into a JSON value, so a mutation can land anywhere. */
function pathsOf(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((c, i) => void pathsOf(c, [...prefix, i], out));
  else if (v !== null && typeof v === 'object')
    for (const [k, c] of Object.entries(v)) pathsOf(c, [...prefix, k], out);
  return out;
}

type Mutation = { at: number; op: 'replace' | 'delete' | 'add'; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'add'),
  key: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('__proto__', 'constructor', 'kind', 'parent', 'id'),
  ),
  value: hostile,
});

function mutate(doc: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(doc);
  for (const m of mutations) {
    // A fresh copy each time: a shared constant put in twice could end up inside itself.
    const value = structuredClone(m.value);
    const paths = pathsOf(root);
    const path = paths[m.at % paths.length]!;
    if (path.length === 0) {
      if (m.op === 'replace') root = value;
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    const target = parent[last];
    if (m.op === 'replace') parent[last] = value;
    else if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
    } else if (target !== null && typeof target === 'object') {
      if (Array.isArray(target)) target.push(value);
      else
        Object.defineProperty(target, m.key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** Character-level damage: what a chat app, a bad copy or an attacker does to a string. */
type Edit = { at: number; op: 'flip' | 'cut' | 'insert' | 'truncate'; text: string };
const edit = (alphabet: fc.Arbitrary<string>): fc.Arbitrary<Edit> =>
  fc.record({ at: fc.nat(), op: fc.constantFrom('flip', 'cut', 'insert', 'truncate'), text: alphabet });

function damage(s: string, edits: Edit[]): string {
  let out = s;
  for (const e of edits) {
    const i = out.length ? e.at % out.length : 0;
    if (e.op === 'flip') out = out.slice(0, i) + e.text.slice(0, 1) + out.slice(i + 1);
    else if (e.op === 'cut') out = out.slice(0, i) + out.slice(i + 1 + (e.at % 7));
    else if (e.op === 'insert') out = out.slice(0, i) + e.text + out.slice(i);
    else out = out.slice(0, i);
  }
  return out;
}

async function linkOf(value: unknown): Promise<string> {
  const json = JSON.stringify(value) ?? 'undefined';
  return `#p=1.${toBase64Url(await deflateRaw(new TextEncoder().encode(json)))}`;
}

async function expectDecodedSafely(hash: string) {
  const r = await decodeShareLink(hash);
  if (r.ok) expect(planSchema.safeParse(r.plan).success).toBe(true);
  else {
    expect(typeof r.error).toBe('string');
    expect(r.error.length).toBeGreaterThan(10);
    expect(r.error).not.toMatch(/could not be read: /); // the loader's last-resort catch never fires
  }
}

describe('fuzz: share links', () => {
  it('random strings after #p=', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }).map((s) => `#p=${s}`),
          fc.string({ unit: fc.constantFrom(...BASE64URL), maxLength: 400 }).map((s) => `#p=1.${s}`),
        ),
        async (hash) => {
          await expectDecodedSafely(hash);
        },
      ),
      { numRuns: 2000 },
    );
    expectNoSideEffects();
  }, 60_000);

  it('valid links damaged character by character', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...links),
        fc.array(edit(fc.oneof(fc.constantFrom(...BASE64URL.split('')), fc.string({ maxLength: 3 }))), {
          minLength: 1,
          maxLength: 4,
        }),
        async (link, edits) => {
          await expectDecodedSafely(damage(link, edits));
        },
      ),
      { numRuns: 2000 },
    );
    expectNoSideEffects();
  }, 60_000);

  it('random JSON, and valid plans mutated anywhere with hostile values, packed as links', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (v) => {
        await expectDecodedSafely(await linkOf(v));
      }),
      { numRuns: 500 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...plans),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        async (plan, mutations) => {
          await expectDecodedSafely(await linkOf(mutate(plan, mutations)));
        },
      ),
      { numRuns: 1500 },
    );
    expectNoSideEffects();
  }, 60_000);
});

describe('fuzz: plan files and run logs', () => {
  it('plan files: mutated documents and damaged text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...plans),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        (plan, mutations) => {
          const r = parsePlanFile(JSON.stringify(mutate(plan, mutations)) ?? '');
          if (r.ok) expect(planSchema.safeParse(r.plan).success).toBe(true);
          else expect(r.error).toMatch(/^The (file|plan) is/);
        },
      ),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...planTexts),
        fc.array(edit(fc.string({ maxLength: 3 })), { maxLength: 6 }),
        (t, e) => {
          const r = parsePlanFile(damage(t, e));
          expect(r.ok || r.error.length > 0).toBe(true);
        },
      ),
      { numRuns: 1500 },
    );
    expectNoSideEffects();
  }, 60_000);

  it('run logs: mutated events, shuffled and damaged lines', () => {
    const events = traceText
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    fc.assert(
      fc.property(
        fc.nat({ max: events.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.array(edit(fc.string({ maxLength: 3 })), { maxLength: 3 }),
        fc.nat(),
        (line, mutations, edits, swap) => {
          const copy = [...events];
          copy[line] = mutate(copy[line], mutations);
          const j = swap % copy.length;
          [copy[line], copy[j]] = [copy[j], copy[line]];
          const text = damage(copy.map((e) => JSON.stringify(e) ?? '').join('\n'), edits);
          const r = parseTrace(text);
          if (!r.ok) expect(r.error).toMatch(/^(line \d+: |the file)/);
        },
      ),
      { numRuns: 2000 },
    );
    expectNoSideEffects();
  }, 60_000);
});

/**
 * The endpoint pool against real HTTP: scripted OpenAI-compatible servers (a test double) enforcing rate
 * limits, stopping mid-run, refusing keys; the real provider, scheduler and evaluator over an example plan
 * whose answer can be checked (OOLONG, one leaf per line: the tallies add up to the number of lines).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { perLinePlan, questionLines, talliesAll } from '../../bench/leaf-plan.ts';
import {
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from '../../test/scripted-server/server.ts';
import type { TraceEvent } from '../lang/index.ts';
import { runPlan } from '../runtime/run-plan.ts';
import { type EndpointOptions, EndpointPool } from './endpoint-pool.ts';
import { OpenAIModel } from './openai.ts';

const MODEL = 'fixpoint-scripted';
const servers: ScriptedServer[] = [];

async function serve(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const server = await startScriptedServer(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function endpoint(server: ScriptedServer, extra: Partial<EndpointOptions> = {}): EndpointOptions {
  return { baseUrl: server.url, model: MODEL, ...extra };
}

/** Runs the per-line OOLONG plan over `lines` lines; the events, the outcome and whether the tallies add up. */
async function run(pool: EndpointPool, lines: number, scheduler = {}) {
  const doc = questionLines(lines, 3);
  // The scripted model answers from the document's ground truth, handed to every server out of band.
  for (const server of servers) server.configure({ truth: [doc.truth] });
  const events: TraceEvent[] = [];
  const outcome = await runPlan({
    plan: perLinePlan(),
    input: doc.text,
    query: doc.query,
    model: pool,
    scheduler,
    onEvent: (e) => events.push(e),
  });
  if (outcome.stage !== 'run') throw new Error('the plan did not check');
  const retries = events.reduce((n, e) => n + (e.type === 'leaf.done' ? e.retries : 0), 0);
  return { outcome, events, retries, correct: outcome.ok && talliesAll(outcome.result, lines) };
}

describe('EndpointPool: rate limits', () => {
  it('learns a limit from x-ratelimit headers and never goes over it: zero 429s, no failed attempt', async () => {
    const server = await serve({ rateLimit: { requests: 5, windowMs: 800 }, latencyMs: 5 });
    const pool = new EndpointPool({ endpoints: [endpoint(server, { concurrency: 8 })] });
    const r = await run(pool, 16);
    expect(r.correct).toBe(true);
    expect(server.chatRequests()).toHaveLength(16);
    expect(server.rateLimitViolations()).toBe(0);
    expect(r.retries).toBe(0);
    expect(pool.stats()[0]).toMatchObject({ answered: 16, rateLimited: 0, limits: { requests: 5 } });
  });

  it('keeps to the requests and tokens per window the user set, when the server reports nothing', async () => {
    const server = await serve({ rateLimit: { requests: 6, tokens: 2400, windowMs: 800, headers: false } });
    const pool = new EndpointPool({
      endpoints: [
        endpoint(server, { concurrency: 8, requestsPerMinute: 6, tokensPerMinute: 2400, limitWindowMs: 800 }),
      ],
    });
    const r = await run(pool, 14);
    expect(r.correct).toBe(true);
    expect(server.rateLimitViolations()).toBe(0);
    expect(r.retries).toBe(0);
  });

  it('with a limit it was not told of, backs off on 429s (not attempts) and finishes without a failed leaf', async () => {
    const server = await serve({ rateLimit: { requests: 4, windowMs: 500, headers: false }, latencyMs: 5 });
    const pool = new EndpointPool({ endpoints: [endpoint(server, { concurrency: 8 })] });
    const r = await run(pool, 14);
    expect(r.correct).toBe(true);
    const [stats] = pool.stats();
    expect(stats!.rateLimited).toBeGreaterThan(0);
    expect(stats!.rateLimited).toBe(server.rateLimitViolations());
    // The window closed down from 8 on the 429s; none of them cost the leaf an attempt.
    expect(stats!.window).toBeLessThan(8);
    expect(r.retries).toBe(0);
  });

  it('fails a call at once, as rate-limited, when the server asks to wait past the cap', async () => {
    const server = await serve({ schedule: ['429'], retryAfterSeconds: 120 });
    const pool = new EndpointPool({ endpoints: [endpoint(server)] });
    const r = await run(pool, 1, { retryAfterCapMs: 1000 });
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.error).toMatchObject({ kind: 'LeafFailed', reason: 'rate-limited' });
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe('EndpointPool: several endpoints', () => {
  it('spreads leaves by weight while every endpoint has room, and sends each endpoint only its own key', async () => {
    const a = await serve({ latencyMs: 40, apiKey: 'sk-endpoint-a-1234' });
    const b = await serve({ latencyMs: 40, apiKey: 'sk-endpoint-b-5678' });
    const pool = new EndpointPool({
      endpoints: [
        endpoint(a, { weight: 3, concurrency: 32, apiKey: 'sk-endpoint-a-1234' }),
        endpoint(b, { weight: 1, concurrency: 32, apiKey: 'sk-endpoint-b-5678' }),
      ],
    });
    const r = await run(pool, 40);
    expect(r.correct).toBe(true);
    const [sa, sb] = [a.chatRequests().length, b.chatRequests().length];
    expect(sa + sb).toBe(40);
    expect(sa).toBeGreaterThan(2 * sb);
    expect(sb).toBeGreaterThan(0);
    // 401s would have taken an endpoint out: every request went with its own endpoint's key.
    expect(pool.stats().map((s) => s.state)).toEqual(['up', 'up']);
    expect(new Set(a.chatRequests().map((q) => q.authorization))).toEqual(
      new Set(['Bearer sk-endpoint-a-1234']),
    );
    expect(new Set(b.chatRequests().map((q) => q.authorization))).toEqual(
      new Set(['Bearer sk-endpoint-b-5678']),
    );
  });

  it('leaves a server stopped mid-run to the others, with the same answer as one server gives', async () => {
    const alone = await serve({ latencyMs: 10 });
    const single = await run(new EndpointPool({ endpoints: [endpoint(alone)] }), 40);
    expect(single.correct).toBe(true);

    const a = await serve({ latencyMs: 10 });
    const b = await serve({ latencyMs: 10, stopAfter: 6 });
    const c = await serve({ latencyMs: 10 });
    const pool = new EndpointPool({
      endpoints: [
        endpoint(a, { concurrency: 4 }),
        endpoint(b, { concurrency: 4 }),
        endpoint(c, { concurrency: 4 }),
      ],
    });
    const r = await run(pool, 40);
    expect(b.stopped).toBe(true);
    expect(r.outcome.ok).toBe(true);
    expect(r.outcome.result).toEqual(single.outcome.result);
    const [sa, sb, sc] = pool.stats();
    expect(sb!.state).toBe('down');
    expect(sb!.movedAway).toBeGreaterThan(0);
    expect(sb!.answered).toBeLessThanOrEqual(6);
    // What was on its way when it died (at most its concurrency, 4), and a few probes after its cool-downs;
    // not every leaf trying it first.
    expect(sb!.sent - sb!.answered).toBeLessThanOrEqual(8);
    expect(r.retries).toBeLessThanOrEqual(4);
    expect(sa!.answered + sb!.answered + sc!.answered).toBe(40);
  });

  it('goes around an endpoint that is not there from the start, or does not have the model', async () => {
    const gone = await serve();
    const url = gone.url;
    await gone.close();
    const wrong = await serve({ models: ['another-model'] });
    const live = await serve();
    const pool = new EndpointPool({
      endpoints: [{ baseUrl: url, model: MODEL }, endpoint(wrong), endpoint(live)],
    });
    const r = await run(pool, 12);
    expect(r.correct).toBe(true);
    const [sGone, sWrong, sLive] = pool.stats();
    expect(sGone).toMatchObject({ state: 'down', answered: 0 });
    expect(sWrong).toMatchObject({ state: 'out', answered: 0 });
    expect(sWrong!.reason).toMatch(/no model "fixpoint-scripted"/);
    expect(sLive!.answered).toBe(12);
    expect(r.retries).toBe(0);
  });

  it('stops the run as ProviderUnavailable when no endpoint can be reached', async () => {
    const one = await serve();
    const two = await serve();
    const urls = [one.url, two.url];
    await Promise.all([one.close(), two.close()]);
    const pool = new EndpointPool({ endpoints: urls.map((baseUrl) => ({ baseUrl, model: MODEL })) });
    const r = await run(pool, 4);
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.error?.kind).toBe('ProviderUnavailable');
  });

  it('keys the cache by model name, not by endpoint: one name is the single endpoint’s id', async () => {
    const a = await serve();
    const b = await serve();
    const same = new EndpointPool({ endpoints: [endpoint(a), endpoint(b)] });
    expect(same.id).toBe(new OpenAIModel({ baseUrl: a.url, model: MODEL }).id);
    const mixed = new EndpointPool({ endpoints: [endpoint(a), { baseUrl: b.url, model: 'qwen3-scripted' }] });
    expect(mixed.id).toBe('api:fixpoint-scripted+qwen3-scripted');
    expect(same.capabilities).toMatchObject({ concurrency: 8, paced: true });
  });

  it('refuses settings that make no sense, in words', () => {
    expect(() => new EndpointPool({ endpoints: [] })).toThrow(/at least one endpoint/);
    expect(
      () => new EndpointPool({ endpoints: [{ baseUrl: 'http://x/v1', model: MODEL, weight: 0 }] }),
    ).toThrow(/weight must be a number above 0/);
    expect(
      () =>
        new EndpointPool({ endpoints: [{ baseUrl: 'http://x/v1', model: MODEL, requestsPerMinute: -1 }] }),
    ).toThrow(/requests per minute/);
  });
});

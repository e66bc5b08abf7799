/**
 * Scale-out: one plan's throughput against one, two and four OpenAI-compatible servers through the endpoint
 * pool (workers/models/endpoint-pool.ts), under a rate limit, and with one server killed mid-run.
 *
 * Each server is the scripted test double in its own process, made to behave like a GPU server: it answers
 * at most SLOTS requests at once (the rest wait their turn, as in a batch) in LATENCY_MS each. So one server
 * does at most SLOTS / LATENCY_MS leaves a second, whatever the client's concurrency, and more servers are
 * the only way to go faster. The figures measure what the pool makes of that: how close k servers come to
 * k times one server's throughput.
 */
import type { Plan } from '../workers/lang/format/plan.ts';
import type { GroundTruth } from '../workers/lang/samples/truth.ts';
import { type EndpointOptions, EndpointPool } from '../workers/models/endpoint-pool.ts';
import type { Benchmark } from './benchmark.ts';
import { perLinePlan, questionLines, talliesAll } from './leaf-plan.ts';
import { describeMachine } from './machine.ts';
import { type ScriptedProcess, startScriptedProcess } from './scripted-process.ts';
import { type Summary, show, summarize } from './stats.ts';
import { timedRun } from './timed-run.ts';

const MODEL = 'fixpoint-scripted';
const LEAVES = 192;
const LATENCY_MS = 100;
const SLOTS = 4;
const SERVERS = [1, 2, 4];
/** Rate-limit scenario: per server, requests per window. */
const RATE = { servers: 2, requests: 20, windowMs: 1000, leaves: 120 };
/** Failover scenario: one of four servers dies when this many requests have come. */
const STOP_AFTER = 12;

export interface ScaleRow {
  servers: number;
  /** Requests in flight the client allows each server. */
  perServer: number;
  wallMs: Summary;
  leavesPerSecond: Summary;
  /** Against one server at SLOTS at once, per repetition. */
  speedup: Summary;
  idealSpeedup: number;
  /** Ideal wall time (⌈N / (k·SLOTS)⌉ rounds of LATENCY_MS) over the measured one. */
  efficiency: Summary;
  peakInFlight: number;
}

/** One way of knowing the limit: learned from the servers' headers, or set by the user. */
export interface RateMode {
  mode: 'learned' | 'set';
  wallMs: Summary;
  achievedPerSecond: Summary;
  /** 429s the servers sent (each one a request over the limit), over all repetitions. */
  rateLimited: number;
  /** The request limits in force at the end, per server. */
  limits: (number | undefined)[];
}

export interface ScaleOutResult {
  leaves: number;
  latencyMs: number;
  slots: number;
  rows: ScaleRow[];
  rate: {
    servers: number;
    requestsPerWindow: number;
    windowMs: number;
    leaves: number;
    limitPerSecond: number;
    modes: RateMode[];
  };
  failover: {
    servers: number;
    stopAfter: number;
    wallMs: Summary;
    /** Requests moved from the dead server to the others, per repetition. */
    movedAway: Summary;
    /** Failed attempts retried by the scheduler, per repetition. */
    retries: Summary;
  };
  correct: boolean;
}

const endpointsOf = (servers: readonly ScriptedProcess[], perServer: number): EndpointOptions[] =>
  servers.map((s) => ({ baseUrl: s.url, model: MODEL, concurrency: perServer }));

/** Servers of the scripted model, each handed the document's ground truth (it answers from nothing else). */
async function startServers(n: number, args: string[], truth: GroundTruth): Promise<ScriptedProcess[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const server = await startScriptedProcess({ latencyMs: LATENCY_MS, args });
      await server.configure({ truth: [truth] });
      return server;
    }),
  );
}

export const scaleOutBenchmark: Benchmark<ScaleOutResult> = {
  name: 'scale-out',
  title: 'Scale-out: several endpoints, rate limits, failover',
  timeLimitS: 300,
  async run(ctx) {
    const plan: Plan = perLinePlan();
    const doc = questionLines(LEAVES, 5);
    const rateDoc = questionLines(RATE.leaves, 6);
    let correct = true;
    const slotArgs = ['--slots', String(SLOTS)];
    const fleet = await startServers(4, slotArgs, doc.truth);
    // Configurations: k servers at SLOTS each, and one server asked for four times its slots.
    const configs = [
      ...SERVERS.map((k) => ({ servers: k, perServer: SLOTS })),
      { servers: 1, perServer: 4 * SLOTS },
    ];
    const walls = new Map<string, number[]>(configs.map((c) => [`${c.servers}x${c.perServer}`, []]));
    const peaks = new Map<string, number>();
    const modes: Record<
      RateMode['mode'],
      { walls: number[]; rateLimited: number; limits: (number | undefined)[] }
    > = {
      learned: { walls: [], rateLimited: 0, limits: [] },
      set: { walls: [], rateLimited: 0, limits: [] },
    };
    const failover = { walls: [] as number[], moved: [] as number[], retries: [] as number[] };
    try {
      const once = async (servers: number, perServer: number) => {
        const pool = new EndpointPool({ endpoints: endpointsOf(fleet.slice(0, servers), perServer) });
        const r = await timedRun(plan, { input: doc.text, query: doc.query, model: pool });
        correct &&= r.outcome.ok && talliesAll(r.outcome.result, LEAVES);
        const key = `${servers}x${perServer}`;
        peaks.set(key, Math.max(peaks.get(key) ?? 0, r.peakInFlight));
        return r.wallMs;
      };
      await once(4, SLOTS); // warm-up, unmeasured
      for (let i = 0; i < ctx.options.runs; i++) {
        for (const c of configs)
          walls.get(`${c.servers}x${c.perServer}`)!.push(await once(c.servers, c.perServer));
        ctx.log(
          `repetition ${i + 1}: ${configs.map((c) => `${c.servers}×${c.perServer} ${walls.get(`${c.servers}x${c.perServer}`)![i]!.toFixed(0)} ms`).join(', ')}`,
        );
      }

      // Under a rate limit: the pool learns it from each server's headers, or is given it (with the
      // servers' window, short here to keep the benchmark short; a minute in the settings and the CLI). New
      // servers each time, so every run starts from a full window and its 429s are its own.
      for (let i = 0; i < ctx.options.runs; i++) {
        for (const mode of ['learned', 'set'] as const) {
          const limited = await startServers(
            RATE.servers,
            [
              ...slotArgs,
              '--rate-requests',
              String(RATE.requests),
              '--rate-window',
              String(RATE.windowMs),
              // Told the limit, the pool has only that to go by: the servers keep their counts to themselves.
              ...(mode === 'set' ? ['--no-rate-headers'] : []),
            ],
            rateDoc.truth,
          );
          try {
            const given = { requestsPerMinute: RATE.requests, limitWindowMs: RATE.windowMs };
            const endpoints = endpointsOf(limited, SLOTS).map((e) =>
              mode === 'set' ? { ...e, ...given } : e,
            );
            const pool = new EndpointPool({ endpoints });
            const r = await timedRun(plan, { input: rateDoc.text, query: rateDoc.query, model: pool });
            correct &&= r.outcome.ok && talliesAll(r.outcome.result, RATE.leaves);
            const stats = pool.stats();
            modes[mode].walls.push(r.wallMs);
            modes[mode].rateLimited += stats.reduce((n, s) => n + s.rateLimited, 0);
            modes[mode].limits = stats.map((s) => s.limits.requests);
            ctx.log(`rate limit ${mode}, repetition ${i + 1}: ${r.wallMs.toFixed(0)} ms`);
          } finally {
            await Promise.all(limited.map((s) => s.close()));
          }
        }
      }

      for (let i = 0; i < ctx.options.runs; i++) {
        const dying = await startScriptedProcess({
          latencyMs: LATENCY_MS,
          args: [...slotArgs, '--stop-after', String(STOP_AFTER)],
        });
        await dying.configure({ truth: [doc.truth] });
        try {
          const pool = new EndpointPool({ endpoints: endpointsOf([...fleet.slice(0, 3), dying], SLOTS) });
          const r = await timedRun(plan, { input: doc.text, query: doc.query, model: pool });
          correct &&= r.outcome.ok && talliesAll(r.outcome.result, LEAVES);
          failover.walls.push(r.wallMs);
          failover.moved.push(pool.stats()[3]!.movedAway);
          // Attempts beyond one per leaf: the scheduler's retries.
          failover.retries.push(r.modelCalls - LEAVES);
          ctx.log(`failover repetition ${i + 1}: ${r.wallMs.toFixed(0)} ms`);
        } finally {
          await dying.close();
        }
      }
    } finally {
      await Promise.all(fleet.map((s) => s.close()));
    }

    const one = walls.get(`1x${SLOTS}`)!;
    const rows = configs.map((c): ScaleRow => {
      const w = walls.get(`${c.servers}x${c.perServer}`)!;
      const capacity = c.servers * SLOTS;
      const ideal = Math.ceil(LEAVES / capacity) * LATENCY_MS;
      const speedups = w.map((ms, i) => one[i]! / ms);
      return {
        servers: c.servers,
        perServer: c.perServer,
        wallMs: summarize(w),
        leavesPerSecond: summarize(w.map((ms) => (LEAVES * 1000) / ms)),
        speedup: summarize(speedups),
        idealSpeedup: Math.ceil(LEAVES / SLOTS) / Math.ceil(LEAVES / capacity),
        efficiency: summarize(w.map((ms) => ideal / ms)),
        peakInFlight: peaks.get(`${c.servers}x${c.perServer}`) ?? 0,
      };
    });
    return {
      leaves: LEAVES,
      latencyMs: LATENCY_MS,
      slots: SLOTS,
      rows,
      rate: {
        servers: RATE.servers,
        requestsPerWindow: RATE.requests,
        windowMs: RATE.windowMs,
        leaves: RATE.leaves,
        limitPerSecond: (RATE.servers * RATE.requests * 1000) / RATE.windowMs,
        modes: (['learned', 'set'] as const).map((mode) => ({
          mode,
          wallMs: summarize(modes[mode].walls),
          achievedPerSecond: summarize(modes[mode].walls.map((ms) => (RATE.leaves * 1000) / ms)),
          rateLimited: modes[mode].rateLimited,
          limits: modes[mode].limits,
        })),
      },
      failover: {
        servers: 4,
        stopAfter: STOP_AFTER,
        wallMs: summarize(failover.walls),
        movedAway: summarize(failover.moved),
        retries: summarize(failover.retries),
      },
      correct,
    };
  },
  headline(r) {
    const four = r.rows.find((row) => row.servers === 4 && row.perServer === r.slots)!;
    const over = r.rate.modes.reduce((n, m) => n + m.rateLimited, 0);
    return `${four.speedup.median.toFixed(2)}× one server's throughput with 4 servers (ideal ${four.idealSpeedup}×); under a rate limit **${over}** requests over it; a server killed mid-run: result ${r.correct ? 'correct' : '**wrong**'}`;
  },
  report(r, { machine }) {
    const four = r.rows.find((row) => row.servers === 4 && row.perServer === r.slots)!;
    const oneWide = r.rows.find((row) => row.servers === 1 && row.perServer > r.slots)!;
    return [
      `One plan (OOLONG split one line per leaf: ${r.leaves} leaves, merge-counts) through the endpoint pool against`,
      `scripted OpenAI-compatible servers (the test double, each in its own process) that behave like GPU servers: each`,
      `answers at most ${r.slots} requests at once (\`--slots ${r.slots}\`; the rest wait their turn) in ${r.latencyMs} ms, so one server does at`,
      `most ${(r.slots * 1000) / r.latencyMs} leaves a second however many the client sends. The client allows each server ${r.slots} requests in flight;`,
      'the configurations take turns within every repetition. Speed-up is against one server, per repetition; efficiency is',
      `the ideal wall time (⌈N / (k·${r.slots})⌉ rounds of ${r.latencyMs} ms) over the measured one. Result ${r.correct ? 'correct in every run' : '**wrong in some run**'}.`,
      '',
      '| servers | in flight per server | wall time | leaves / s | speed-up | ideal | efficiency | peak in flight |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...r.rows.map(
        (row) =>
          `| ${row.servers} | ${row.perServer} | ${show(row.wallMs, 'ms', 0)} | ${show(row.leavesPerSecond, '', 1)} | ${show(row.speedup, '×', 2)} | ${row.idealSpeedup}× | ${show(row.efficiency, '', 2)} | ${row.peakInFlight} |`,
      ),
      '',
      `Four servers give **${four.speedup.median.toFixed(2)}×** one server's throughput. Asking one server for ${oneWide.perServer} at once instead of ${r.slots}`,
      `gives ${oneWide.speedup.median.toFixed(2)}×: past its own slots a server only queues, so concurrency is no substitute for servers.`,
      'Part of what is lost is one round at the start: the first request to each server goes alone, until its response',
      "headers say what the server's limits are (or that it has none).",
      '',
      `**Under a rate limit.** ${r.rate.servers} servers, each allowing ${r.rate.requestsPerWindow} requests in any ${r.rate.windowMs} ms (a sliding window, the strictest kind),`,
      `${r.rate.leaves} leaves, against a combined limit of ${r.rate.limitPerSecond} a second. *Learned*: the servers report their counts in \`x-ratelimit-*\``,
      'headers and the pool is told nothing. *Set*: the servers report nothing and the pool is given the limit (with the',
      "servers' window, short here to keep the benchmark short; a minute in the settings and the CLI). A request over the limit",
      'is answered 429.',
      '',
      '| limit | wall time | leaves / s | limit a server (end of run) | requests over the limit, all runs |',
      '|---|---:|---:|---:|---:|',
      ...r.rate.modes.map(
        (m) =>
          `| ${m.mode} | ${show(m.wallMs, 'ms', 0)} | ${show(m.achievedPerSecond, '', 1)} | ${m.limits.map((l) => l ?? '?').join(', ')} | **${m.rateLimited}** |`,
      ),
      '',
      'Learned limits cost speed, not safety: a report says how many are left and when the limit is whole again, not when each',
      "request leaves the server's window, so what a report counted is reused only after its reset. A limit that is set is reused",
      'request by request, each a window after the server saw it.',
      '',
      `**A server killed mid-run.** Four servers; the fourth dies (its connections reset, new ones refused) when its`,
      `${r.failover.stopAfter + 1}th request comes. Wall time ${show(r.failover.wallMs, 'ms', 0)} against ${show(four.wallMs, 'ms', 0)} with four live servers; requests`,
      `moved to the others ${show(r.failover.movedAway, '', 0)}, scheduler retries ${show(r.failover.retries, '', 0)} (the requests that were on their way when it died).`,
      'The answer is the same as with four live servers.',
      '',
      `${describeMachine(machine)}.`,
    ];
  },
};

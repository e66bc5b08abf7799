/**
 * Parallel speed-up (the goal: Map over c concurrent remote leaves runs ≥ 0.8·c times faster than
 * sequential). One plan, the same input, at concurrency 1, 2, 4, 8 and 16 against the scripted server
 * with a fixed leaf latency; the concurrencies take turns in every repetition, so the machine's load
 * falls on all of them alike.
 */
import { OpenAIModel } from '../workers/models/openai.ts';
import type { Benchmark } from './benchmark.ts';
import { perLinePlan, questionLines, talliesAll } from './leaf-plan.ts';
import { describeMachine } from './machine.ts';
import { startScriptedProcess } from './scripted-process.ts';
import { type Summary, show, summarize } from './stats.ts';
import { timedRun } from './timed-run.ts';

const LEAVES = 128;
const LATENCY_MS = 50;
const CONCURRENCY = [1, 2, 4, 8, 16];

export interface SpeedupRow {
  concurrency: number;
  wallMs: Summary;
  /** T(1) / T(c), per repetition. */
  speedup: Summary;
  /** ⌈N/1⌉ / ⌈N/c⌉: what a perfect runtime would reach. */
  idealSpeedup: number;
  /** speed-up / ideal, per repetition. */
  efficiency: Summary;
  peakInFlight: number;
}

export interface SpeedupResult {
  leaves: number;
  latencyMs: number;
  rows: SpeedupRow[];
  correct: boolean;
}

export const speedupBenchmark: Benchmark<SpeedupResult> = {
  name: 'parallel-speedup',
  title: 'Parallel speed-up',
  async run(ctx) {
    const plan = perLinePlan();
    const doc = questionLines(LEAVES, 4);
    const server = await startScriptedProcess({ latencyMs: LATENCY_MS });
    await server.configure({ truth: [doc.truth] });
    const walls = new Map<number, number[]>(CONCURRENCY.map((c) => [c, []]));
    const peaks = new Map<number, number>();
    let correct = true;
    try {
      const once = async (c: number) => {
        const model = new OpenAIModel({ baseUrl: server.url, model: 'fixpoint-scripted', concurrency: c });
        const r = await timedRun(plan, { input: doc.text, query: doc.query, model, concurrency: c });
        correct &&= r.outcome.ok && talliesAll(r.outcome.result, LEAVES);
        peaks.set(c, Math.max(peaks.get(c) ?? 0, r.peakInFlight));
        return r.wallMs;
      };
      await once(16); // warm-up, unmeasured
      for (let i = 0; i < ctx.options.runs; i++) {
        for (const c of CONCURRENCY) walls.get(c)!.push(await once(c));
        ctx.log(
          `repetition ${i + 1}: ${CONCURRENCY.map((c) => `c=${c} ${walls.get(c)![i]!.toFixed(0)} ms`).join(', ')}`,
        );
      }
    } finally {
      await server.close();
    }
    const sequential = walls.get(1)!;
    const rows = CONCURRENCY.map((c): SpeedupRow => {
      const w = walls.get(c)!;
      const ideal = Math.ceil(LEAVES / 1) / Math.ceil(LEAVES / c);
      const speedups = w.map((ms, i) => sequential[i]! / ms);
      return {
        concurrency: c,
        wallMs: summarize(w),
        speedup: summarize(speedups),
        idealSpeedup: ideal,
        efficiency: summarize(speedups.map((s) => s / ideal)),
        peakInFlight: peaks.get(c) ?? 0,
      };
    });
    return { leaves: LEAVES, latencyMs: LATENCY_MS, rows, correct };
  },
  headline(r) {
    const worst = Math.min(...r.rows.map((row) => row.efficiency.median));
    const top = r.rows.at(-1)!;
    return `${top.speedup.median.toFixed(1)}× at concurrency ${top.concurrency}; worst efficiency **${worst.toFixed(2)}** (goal ≥ 0.8)`;
  },
  report(r, { machine }) {
    const worst = Math.min(...r.rows.map((row) => row.efficiency.median));
    return [
      `One plan (OOLONG split one line per leaf: ${r.leaves} leaves, merge-counts) against the scripted OpenAI-compatible server`,
      `in its own process with ${r.latencyMs} ms per leaf, at each concurrency in turn within every repetition. Speed-up is T(1)/T(c)`,
      'per repetition; the ideal is ⌈N/1⌉/⌈N/c⌉ (= c here); efficiency is speed-up over the ideal. Goal:',
      `efficiency ≥ 0.8 at every c — the worst measured is **${worst.toFixed(2)}**. Result ${r.correct ? 'correct in every run' : '**wrong in some run**'}.`,
      `The runs at high concurrency are short (${Math.ceil(r.leaves / 16)} rounds of ${r.latencyMs} ms at c = 16), so on a loaded machine one pause elsewhere`,
      'costs them most: read the spread with the load average below.',
      '',
      '| concurrency | wall time | speed-up | ideal | efficiency | peak in flight |',
      '|---:|---:|---:|---:|---:|---:|',
      ...r.rows.map(
        (row) =>
          `| ${row.concurrency} | ${show(row.wallMs, 'ms', 0)} | ${show(row.speedup, '×', 2)} | ${row.idealSpeedup}× | ${show(row.efficiency, '', 2)} | ${row.peakInFlight} |`,
      ),
      '',
      `${describeMachine(machine)}.`,
    ];
  },
};

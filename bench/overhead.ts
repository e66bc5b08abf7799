/**
 * Runtime overhead (the goal: under 1% of wall time with 50 ms leaves).
 *
 * A. 10,000 leaf calls against the in-process scripted model with no latency: the whole runtime
 *    (planner, evaluator, scheduler, run log) per call, events per second, and the longest the event loop
 *    was blocked (a host that froze would show it here). The model's own work (its answering rules) is
 *    timed apart, by calling it alone on the same 10,000 requests, and taken out.
 * B. The same plan with 50 ms leaves against the scripted OpenAI-compatible server in its own process,
 *    at a fixed concurrency: wall time against the ideal schedule (⌈N/c⌉ rounds of 50 ms: the critical
 *    path is one leaf, the merge is symbolic), and against a bare `fetch` client sending the same
 *    requests, measured in alternation with it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LeafRequest } from '../workers/lang/run/provider.ts';
import type { GroundTruth } from '../workers/lang/samples/index.ts';
import { createScriptedModel } from '../workers/lang/testing/scripted-model.ts';
import { OpenAIModel } from '../workers/models/openai.ts';
import { bareClient } from './bare-client.ts';
import type { Benchmark } from './benchmark.ts';
import { perLinePlan, questionLines, talliesAll } from './leaf-plan.ts';
import { describeMachine } from './machine.ts';
import { startScriptedProcess } from './scripted-process.ts';
import { type Summary, show, summarize } from './stats.ts';
import { timedRun } from './timed-run.ts';

const LEAVES = 10_000;
const IN_PROCESS_CONCURRENCY = 16;
const REMOTE_LEAVES = 500;
const REMOTE_CONCURRENCY = 16;
const LATENCY_MS = 50;
const MODEL = 'fixpoint-scripted';

export interface OverheadResult {
  inProcess: {
    leaves: number;
    concurrency: number;
    predictedCalls: number;
    wallMs: Summary;
    /** Runtime time per leaf call, µs, with the model's own work taken out. */
    perCallUs: Summary;
    /** The scripted model alone, µs per call. */
    modelPerCallUs: Summary;
    eventsPerRun: number;
    eventsPerSecond: Summary;
    /** Longest event-loop stall during a run, ms. */
    maxStallMs: Summary;
    correct: boolean;
  };
  remote: {
    leaves: number;
    concurrency: number;
    latencyMs: number;
    idealMs: number;
    wallMs: Summary;
    bareMs: Summary;
    /** (wall / ideal − 1), %. */
    overVsIdealPct: Summary;
    /** (wall / bare client − 1), %, per pair of runs. */
    overVsBarePct: Summary;
    /** (bare / ideal − 1), %: what the transport and the server cost by themselves. */
    bareVsIdealPct: Summary;
    /** Client CPU time (user + system) per leaf, µs: the runtime's, and the bare client's. */
    cpuPerLeafUs: Summary;
    bareCpuPerLeafUs: Summary;
    /**
     * The runtime's CPU time beyond the bare client's, as a share of the ideal wall time, %: a bound of
     * what the runtime adds when the process never waits for a core (reached only if none of its work
     * overlapped a wait). Steadier than wall time on a shared machine.
     */
    extraCpuPct: Summary;
    correct: boolean;
  };
}

export const overheadBenchmark: Benchmark<OverheadResult> = {
  name: 'runtime-overhead',
  title: 'Runtime overhead',
  async run(ctx) {
    const plan = perLinePlan();
    const runs = ctx.options.runs;

    // A. In process, no latency.
    const doc = questionLines(LEAVES);
    const newModel = () =>
      createScriptedModel({ concurrency: IN_PROCESS_CONCURRENCY, contextWindow: 8192, truth: doc.truth });
    // One unmeasured run warms the JIT; its requests are the ones every run makes.
    const warm = newModel();
    await timedRun(plan, { input: doc.text, query: doc.query, model: warm });
    const requests: LeafRequest[] = warm.requests;
    const a = {
      wall: [] as number[],
      perCall: [] as number[],
      model: [] as number[],
      eps: [] as number[],
      stall: [] as number[],
    };
    let correct = true;
    let predicted = 0;
    let events = 0;
    for (let i = 0; i < runs; i++) {
      const modelMs = await modelAlone(requests, doc.truth);
      const stalls = monitorEventLoopDelay({ resolution: 10 });
      stalls.enable();
      const r = await timedRun(plan, { input: doc.text, query: doc.query, model: newModel() });
      stalls.disable();
      correct &&=
        r.outcome.ok && talliesAll(r.outcome.result, LEAVES) && r.outcome.totals.leafCalls === LEAVES;
      predicted = r.estimate.totalCalls;
      events = r.events;
      a.wall.push(r.wallMs);
      a.perCall.push(((r.wallMs - modelMs) * 1000) / LEAVES);
      a.model.push((modelMs * 1000) / LEAVES);
      a.eps.push(r.events / (r.wallMs / 1000));
      a.stall.push(stalls.max / 1e6);
      ctx.log(
        `in process ${i + 1}: ${r.wallMs.toFixed(0)} ms for ${LEAVES} leaves (model alone ${modelMs.toFixed(0)} ms), longest stall ${(stalls.max / 1e6).toFixed(0)} ms`,
      );
    }

    // B. 50 ms leaves over HTTP, against a bare client.
    const server = await startScriptedProcess({ latencyMs: LATENCY_MS });
    const remoteDoc = questionLines(REMOTE_LEAVES, 2);
    const short = questionLines(REMOTE_LEAVES / 10, 3);
    const capture = createScriptedModel({ contextWindow: 8192, truth: remoteDoc.truth });
    await timedRun(plan, { input: remoteDoc.text, query: remoteDoc.query, model: capture });
    const remoteRequests = capture.requests;
    const b = {
      wall: [] as number[],
      bare: [] as number[],
      ideal: [] as number[],
      vsBare: [] as number[],
      bareIdeal: [] as number[],
      cpu: [] as number[],
      bareCpu: [] as number[],
      cpuShare: [] as number[],
    };
    const idealMs = Math.ceil(REMOTE_LEAVES / REMOTE_CONCURRENCY) * LATENCY_MS;
    let remoteCorrect = true;
    try {
      const model = () =>
        new OpenAIModel({
          baseUrl: server.url,
          model: MODEL,
          concurrency: REMOTE_CONCURRENCY,
          contextWindow: 8192,
        });
      // Warm the server, the connection pool and the JIT on a tenth of the work, unmeasured.
      await bareClient(server.url, MODEL, remoteRequests.slice(0, REMOTE_LEAVES / 10), REMOTE_CONCURRENCY);
      await server.configure({ truth: [short.truth] });
      await timedRun(plan, {
        input: short.text,
        query: short.query,
        model: model(),
        concurrency: REMOTE_CONCURRENCY,
      });
      // The scripted model (a test double) knows the measured document's labels, given out of band.
      await server.configure({ truth: [remoteDoc.truth] });
      // Many short pairs rather than a few long ones: a burst of load elsewhere then spoils one pair, which
      // the median drops, instead of every pair a little. The order within a pair alternates.
      for (let i = 0; i < Math.max(runs, 9); i++) {
        const runtime = () =>
          withCpu(() =>
            timedRun(plan, {
              input: remoteDoc.text,
              query: remoteDoc.query,
              model: model(),
              concurrency: REMOTE_CONCURRENCY,
            }),
          );
        const floor = () => withCpu(() => bareClient(server.url, MODEL, remoteRequests, REMOTE_CONCURRENCY));
        let rc: Awaited<ReturnType<typeof runtime>>;
        let bc: Awaited<ReturnType<typeof floor>>;
        if (i % 2 === 0) {
          rc = await runtime();
          bc = await floor();
        } else {
          bc = await floor();
          rc = await runtime();
        }
        const r = rc.value;
        const bare = bc.value;
        b.cpu.push(rc.cpuUs / REMOTE_LEAVES);
        b.bareCpu.push(bc.cpuUs / REMOTE_LEAVES);
        b.cpuShare.push(((rc.cpuUs - bc.cpuUs) / 1000 / idealMs) * 100);
        remoteCorrect &&= r.outcome.ok && talliesAll(r.outcome.result, REMOTE_LEAVES);
        b.wall.push(r.wallMs);
        b.bare.push(bare);
        b.ideal.push((r.wallMs / idealMs - 1) * 100);
        b.vsBare.push((r.wallMs / bare - 1) * 100);
        b.bareIdeal.push((bare / idealMs - 1) * 100);
        ctx.log(
          `50 ms leaves ${i + 1}: runtime ${r.wallMs.toFixed(0)} ms, bare client ${bare.toFixed(0)} ms, ideal ${idealMs} ms`,
        );
      }
    } finally {
      await server.close();
    }
    return {
      inProcess: {
        leaves: LEAVES,
        concurrency: IN_PROCESS_CONCURRENCY,
        predictedCalls: predicted,
        wallMs: summarize(a.wall),
        perCallUs: summarize(a.perCall),
        modelPerCallUs: summarize(a.model),
        eventsPerRun: events,
        eventsPerSecond: summarize(a.eps),
        maxStallMs: summarize(a.stall),
        correct,
      },
      remote: {
        leaves: REMOTE_LEAVES,
        concurrency: REMOTE_CONCURRENCY,
        latencyMs: LATENCY_MS,
        idealMs,
        wallMs: summarize(b.wall),
        bareMs: summarize(b.bare),
        overVsIdealPct: summarize(b.ideal),
        overVsBarePct: summarize(b.vsBare),
        bareVsIdealPct: summarize(b.bareIdeal),
        cpuPerLeafUs: summarize(b.cpu),
        bareCpuPerLeafUs: summarize(b.bareCpu),
        extraCpuPct: summarize(b.cpuShare),
        correct: remoteCorrect,
      },
    };
  },
  headline(r) {
    const b = r.remote;
    return `with ${b.latencyMs} ms leaves: wall time **${signed(b.overVsBarePct.median)}%** over a bare HTTP client (goal < 1%; shared machine, see the spread), ${b.overVsIdealPct.median.toFixed(1)}% over the ideal schedule; extra client CPU ${b.extraCpuPct.median.toFixed(1)}% of the ideal; ${r.inProcess.perCallUs.median.toFixed(0)} µs a leaf in process`;
  },
  report(r, { machine }) {
    const a = r.inProcess;
    const b = r.remote;
    const goal = (x: number) => (x < 1 ? 'meets' : 'misses');
    return [
      `**A. ${a.leaves.toLocaleString('en')} leaf calls, in process, zero latency** (the OOLONG plan split one line per leaf, merge-counts;`,
      `the scripted model test double with ${a.concurrency} calls in flight; planner, evaluator, scheduler and full run log included).`,
      `Predicted calls ${a.predictedCalls.toLocaleString('en')}, made ${a.leaves.toLocaleString('en')}; result ${a.correct ? 'correct in every run (the tallies add up to N)' : '**wrong in some run**'}.`,
      '',
      '| figure | median (min–max) |',
      '|---|---:|',
      `| wall time for ${a.leaves.toLocaleString('en')} leaves | ${show(a.wallMs, 'ms', 0)} |`,
      `| runtime per leaf call (model's own work taken out) | ${show(a.perCallUs, 'µs', 0)} |`,
      `| the scripted model alone, per call | ${show(a.modelPerCallUs, 'µs', 0)} |`,
      `| run-log events per second (${a.eventsPerRun.toLocaleString('en')} events a run) | ${show(a.eventsPerSecond, '', 0)} |`,
      `| longest event-loop stall during a run | ${show(a.maxStallMs, 'ms', 0)} |`,
      '',
      'The stall is the longest time the event loop could not run anything else (an abort message, a batch of the log for the',
      "page). A model that answers at once answers in microtasks, so only the evaluator's own periodic yields break the run up;",
      "a real model's network or GPU waits break it up by themselves.",
      '',
      `**B. The same plan with ${b.latencyMs} ms leaves** over HTTP against the scripted OpenAI-compatible server (its own process),`,
      `${b.leaves.toLocaleString('en')} leaves at concurrency ${b.concurrency}, ${b.wallMs.n} pairs of runs (fewer leaves than A, to keep \`npm run bench\` under ten minutes).`,
      `The ideal schedule is ⌈N/c⌉ × ${b.latencyMs} ms = ${b.idealMs.toLocaleString('en')} ms (critical path: one leaf; the merge is symbolic). The bare client sends`,
      'the same requests with `fetch` alone at the same concurrency and reads each answer to its end, in alternation with the runtime:',
      "the difference between the two is what the runtime adds; the bare client's own excess over the ideal is the transport, the",
      `server's timers and this machine's load. Wall time on a shared machine swings with the others' work, so the client's CPU`,
      "time is measured too (`process.cpuUsage`, this process only: the server runs in its own). The runtime's CPU time beyond the",
      "bare client's, over the ideal wall time, bounds what the runtime adds when this process never waits for a core (it is",
      'reached only if none of that work overlaps the waits for other leaves). On a loaded machine the wall-time excess can pass',
      'it: every extra millisecond of CPU then also waits its turn.',
      `Result ${b.correct ? 'correct in every run' : '**wrong in some run**'}.`,
      '',
      '| figure | median (min–max) |',
      '|---|---:|',
      `| runtime wall time | ${show(b.wallMs, 'ms', 0)} |`,
      `| bare client wall time | ${show(b.bareMs, 'ms', 0)} |`,
      `| **runtime over the bare client, wall time** (goal < 1%: ${goal(b.overVsBarePct.median)}) | ${show(b.overVsBarePct, '%', 1)} |`,
      `| runtime's extra CPU time over the ideal wall time (bound of the overhead with a free core) | ${show(b.extraCpuPct, '%', 1)} |`,
      `| client CPU per leaf: runtime | ${show(b.cpuPerLeafUs, 'µs', 0)} |`,
      `| client CPU per leaf: bare client | ${show(b.bareCpuPerLeafUs, 'µs', 0)} |`,
      `| runtime over the ideal schedule | ${show(b.overVsIdealPct, '%', 1)} |`,
      `| bare client over the ideal schedule | ${show(b.bareVsIdealPct, '%', 1)} |`,
      '',
      `${describeMachine(machine)}.`,
    ];
  },
};

/** A number with one decimal and a real minus sign. */
function signed(x: number): string {
  return x.toFixed(1).replace('-', '−');
}

/** A measurement with the CPU time (user + system, this process) it took, in µs. */
async function withCpu<T>(f: () => Promise<T>): Promise<{ value: T; cpuUs: number }> {
  const before = process.cpuUsage();
  const value = await f();
  const used = process.cpuUsage(before);
  return { value, cpuUs: used.user + used.system };
}

/** The scripted model's own time on these requests, one after another, in ms. */
async function modelAlone(requests: readonly LeafRequest[], truth: GroundTruth): Promise<number> {
  const model = createScriptedModel({ contextWindow: 8192, truth });
  const signal = new AbortController().signal;
  const t0 = performance.now();
  for (const r of requests) await model.complete(r, { signal });
  return performance.now() - t0;
}

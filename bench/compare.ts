/**
 * λ-RLM and RLM side by side on the task families (docs/rlm.md): for each family's sample, the run a user
 * gets from the question alone (task detection, then the family's template; `runAuto`) and RLM mode
 * (`runRlm`, the model writes the code), on the same document, question and model. Figures are read off
 * the two run logs by `compareRuns`, as `fixpoint compare` prints them.
 *
 * By default the model is the scripted server (a test double answering from each sample's ground truth;
 * its RLM policy writes the RLM's code), so the figures are calls, tokens and wall time: how much each
 * approach asks of a model, not how well a model does. Accuracy (and whether the detection named the
 * sample's family) is reported only against a real endpoint (--base-url, --model).
 */
import type { TraceEvent } from '../workers/lang/index.ts';
import { compareRuns, type RunFigures, type TaskFamily } from '../workers/lang/index.ts';
import { sampleGenerators } from '../workers/lang/samples/index.ts';
import { readExampleFile, runAuto, runRlm } from '../workers/runtime/index.ts';
import type { Benchmark } from './benchmark.ts';
import { describeMachine } from './machine.ts';
import { type Summary, show, summarize } from './stats.ts';
import { connect, describeEndpoint } from './task-families.ts';

/** One document size: RLM mode's root model reads a preview and its code reads the rest; 16K is typical. */
const DEFAULT_TOKENS = 16_000;

interface Side {
  calls: Summary;
  tokens: Summary;
  wallMs: Summary;
  depth: Summary;
  /** Runs that ended with an error. */
  failed: number;
  /** Real endpoints only: mean score by the family's scorer. */
  meanScore?: number;
}

export interface CompareRow {
  generator: string;
  family: TaskFamily;
  plan: Side & { predictedCalls: Summary };
  rlm: Side;
  /** Real endpoints only: runs whose detection named the sample's family. */
  detectedRight?: number;
}

export interface CompareResult {
  endpoint: { scripted: boolean; model: string; contextWindow: number; concurrency: number };
  tokens: number;
  seeds: number[];
  rows: CompareRow[];
}

function side(figures: RunFigures[], scores: number[] | undefined): Side {
  return {
    calls: summarize(figures.map((f) => f.calls)),
    tokens: summarize(figures.map((f) => f.promptTokens + f.completionTokens)),
    wallMs: summarize(figures.map((f) => f.ms)),
    depth: summarize(figures.map((f) => f.depth)),
    failed: figures.filter((f) => !f.ok).length,
    ...(scores && { meanScore: scores.reduce((s, x) => s + x, 0) / Math.max(1, scores.length) }),
  };
}

export const compareBenchmark: Benchmark<CompareResult> = {
  name: 'compare',
  title: 'λ-RLM and RLM side by side on the task families',
  timeLimitS: 420,
  async run(ctx) {
    const tokens = ctx.options.sizes?.[0] ?? DEFAULT_TOKENS;
    const seeds = Array.from({ length: ctx.options.runs }, (_, i) => i + 1);
    const endpoint = await connect(ctx);
    const rows: CompareRow[] = [];
    try {
      for (const generator of Object.values(sampleGenerators)) {
        const plans: RunFigures[] = [];
        const rlms: RunFigures[] = [];
        const scores = { plan: [] as number[], rlm: [] as number[] };
        const predicted: number[] = [];
        let detectedRight = 0;
        for (const seed of seeds) {
          const sample = generator.generate({ tokens, seed });
          await endpoint.configure?.(sample.truth);
          const planLog: TraceEvent[] = [];
          const rlmLog: TraceEvent[] = [];
          const auto = await runAuto({
            input: sample.text,
            query: sample.query,
            model: endpoint.model,
            concurrency: endpoint.concurrency,
            readExample: readExampleFile,
            onEvent: (e) => planLog.push(e),
          });
          if (auto.stage === 'run' && auto.family === generator.family) detectedRight++;
          await runRlm({
            input: sample.text,
            query: sample.query,
            model: endpoint.model,
            scheduler: { concurrency: endpoint.concurrency },
            onEvent: (e) => rlmLog.push(e),
          });
          if (auto.stage !== 'run') {
            ctx.log(
              `${generator.name} seed ${seed}: the plan did not run (${auto.stage}); counted as failed`,
            );
            continue;
          }
          const c = compareRuns(planLog, rlmLog);
          plans.push(c.plan);
          rlms.push(c.rlm);
          predicted.push(c.plan.predicted?.calls ?? Number.NaN);
          scores.plan.push(
            c.plan.ok ? generator.score(c.plan.absent ? null : c.plan.result, sample.expected) : 0,
          );
          scores.rlm.push(c.rlm.ok ? generator.score(c.rlm.result, sample.expected) : 0);
        }
        const real = !endpoint.scripted;
        rows.push({
          generator: generator.name,
          family: generator.family,
          plan: { ...side(plans, real ? scores.plan : undefined), predictedCalls: summarize(predicted) },
          rlm: side(rlms, real ? scores.rlm : undefined),
          ...(real && { detectedRight }),
        });
        const r = rows.at(-1)!;
        ctx.log(
          `${generator.name}: plan ${r.plan.calls.median} calls (N̂ ${r.plan.predictedCalls.median}), RLM ${r.rlm.calls.median} calls`,
        );
      }
    } finally {
      await endpoint.close();
    }
    return {
      endpoint: describeEndpoint(endpoint),
      tokens,
      seeds,
      rows,
    };
  },
  headline(r) {
    const ratio = (row: CompareRow) => row.rlm.tokens.median / Math.max(1, row.plan.tokens.median);
    const ratios = r.rows.map(ratio).sort((a, b) => a - b);
    const mid = ratios[Math.floor(ratios.length / 2)] ?? Number.NaN;
    return `at ${r.tokens / 1000}K tokens, RLM mode used a median ${mid.toFixed(1)}× the plan's tokens across the seven families${r.endpoint.scripted ? ' (scripted server)' : ` (${r.endpoint.model})`}`;
  },
  report(r, { machine }) {
    const e = r.endpoint;
    const real = !e.scripted;
    const lines = [
      e.scripted
        ? "**Against the scripted server** (a test double: it answers from each sample's ground truth, and its RLM policy writes the RLM's code), so these are the calls, tokens and time each approach asks of a model, not accuracy; run it against a real endpoint (below) for accuracy."
        : `Against **${e.model}** on a real OpenAI-compatible endpoint.`,
      `One document of ${r.tokens.toLocaleString('en')} tokens per family and seed (seeds ${r.seeds.join(', ')}); model window ${e.contextWindow.toLocaleString('en')} tokens, ${e.concurrency} calls in flight. ${describeMachine(machine)}.`,
      '"λ-RLM" is what the Start tab\'s Ask (and `fixpoint run --auto`) does: one detection call, then the family\'s template; its calls include the detection and are compared with the planner\'s N̂ (detection included). "RLM" is RLM mode on the same document and question. Figures are medians (min–max) read off the run logs by `compareRuns`, as `fixpoint compare` prints them; tokens are prompt + completion; depth is the deepest call in the tree (top-level calls are 0).',
      '',
      `| family | λ-RLM calls; N̂ | RLM calls | λ-RLM tokens | RLM tokens | λ-RLM wall | RLM wall | depth λ-RLM / RLM |${real ? ' accuracy λ-RLM / RLM | detected |' : ''}`,
      `|---|---:|---:|---:|---:|---:|---:|---:|${real ? '---:|---:|' : ''}`,
    ];
    for (const row of r.rows) {
      const failed = (s: Side) => (s.failed > 0 ? `, ${s.failed} failed` : '');
      lines.push(
        `| ${row.family} (\`${row.generator}\`) | ${show(row.plan.calls, '', 0)}; N̂ ${row.plan.predictedCalls.median}${failed(row.plan)} | ${show(row.rlm.calls, '', 0)}${failed(row.rlm)} | ${show(row.plan.tokens, '', 0)} | ${show(row.rlm.tokens, '', 0)} | ${show(row.plan.wallMs, 'ms', 0)} | ${show(row.rlm.wallMs, 'ms', 0)} | ${row.plan.depth.median} / ${row.rlm.depth.median} |${
          real
            ? ` ${row.plan.meanScore?.toFixed(2)} / ${row.rlm.meanScore?.toFixed(2)} | ${row.detectedRight}/${r.seeds.length} |`
            : ''
        }`,
      );
    }
    if (e.scripted)
      lines.push(
        '',
        "The scripted server's RLM code is a well-behaved model's (one batched pass over pieces that fit, then FINAL), so the RLM columns here are close to the best case: a real model's code may take more root turns, re-read more of the document, or loop until a budget stops it. The λ-RLM columns hold for any model: the plan's calls never exceed N̂. The summary template calls the model for every piece and again to combine at each level of its recursion (its calls nest 7 deep in the tree), where the scripted RLM code joins its pieces' answers in one pass.",
      );
    lines.push(
      '',
      'Against a real model: `npm run bench -- --only compare --base-url URL --model NAME [--api-key-env VAR] [--context-window N] [--sizes 16000]` (the key only through the environment).',
    );
    return lines;
  },
};

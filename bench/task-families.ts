/**
 * The paper's task families (issue 8) at 8K to 128K tokens: S-NIAH, OOLONG, OOLONG-Pairs, multi-document
 * QA and CodeQA. Each size and seed runs the matching example plan of public/examples/ and its direct
 * baseline (baseline-plan.ts: the plan on the input cut to the model's window), scored by the family's
 * scorer (workers/lang/samples/score.ts).
 *
 * By default the model is the scripted OpenAI-compatible server (a test double that answers from each
 * sample's ground truth, given out of band, and only from evidence in the prompt), so accuracy shows
 * whether a plan puts the evidence in front of the model, not how well a model reads it. With --base-url and --model (and --api-key-env VAR)
 * it is any real OpenAI-compatible endpoint; the model's window comes from its /models list unless
 * --context-window says otherwise.
 */
import type { LeafModel } from '../workers/lang/run/provider.ts';
import type { GroundTruth } from '../workers/lang/samples/index.ts';
import { OpenAIModel } from '../workers/models/openai.ts';
import { baselinePlan, cutToWindow } from './baseline-plan.ts';
import type { BenchContext, Benchmark } from './benchmark.ts';
import { example } from './leaf-plan.ts';
import { describeMachine } from './machine.ts';
import { startScriptedProcess } from './scripted-process.ts';
import { type Summary, show, summarize } from './stats.ts';
import { type TimedRun, timedRun } from './timed-run.ts';

export const DEFAULT_SIZES = [8_000, 16_000, 32_000, 64_000, 128_000];
const SCRIPTED_MODEL = 'fixpoint-scripted';

interface Family {
  name: string;
  example: string;
  /** How the family's scorer (workers/lang/samples/score.ts) scores an answer. */
  metric: string;
}

const FAMILIES: Family[] = [
  { name: 'S-NIAH', example: 'sniah.json', metric: 'exact match after normalising, else token F1' },
  { name: 'OOLONG', example: 'oolong.json', metric: '0.75^|error| for a number, exact match for a label' },
  { name: 'OOLONG-Pairs', example: 'oolong-pairs.json', metric: 'F1 over the pair set' },
  {
    name: 'Multi-document QA',
    example: 'multidoc-qa.json',
    metric: 'exact match after normalising, else token F1',
  },
  { name: 'CodeQA', example: 'code-qa.json', metric: 'multiple-choice accuracy' },
];

export interface FamilyCell {
  family: string;
  tokens: number;
  method: 'plan' | 'baseline';
  /** Score per seed, in [0, 1]. */
  scores: number[];
  meanScore: number;
  /** Runs that ended with an error (scored 0). */
  failed: number;
  calls: Summary;
  predictedCalls: Summary;
  tokensUsed: Summary;
  wallMs: Summary;
  /** Share of the document the method read (the baseline reads one window). */
  coverage: Summary;
}

export interface TaskFamiliesResult {
  endpoint: { scripted: boolean; model: string; contextWindow: number; concurrency: number };
  seeds: number[];
  families: { name: string; example: string; metric: string }[];
  cells: FamilyCell[];
}

export const taskFamiliesBenchmark: Benchmark<TaskFamiliesResult> = {
  name: 'task-families',
  title: 'Task families: S-NIAH, OOLONG, OOLONG-Pairs, multi-document QA, CodeQA',
  async run(ctx) {
    const sizes = ctx.options.sizes ?? DEFAULT_SIZES;
    const seeds = Array.from({ length: ctx.options.runs }, (_, i) => i + 1);
    const endpoint = await connect(ctx);
    const cells: FamilyCell[] = [];
    try {
      for (const family of FAMILIES) {
        const ex = example(family.example);
        const baseline = baselinePlan(ex.plan);
        for (const tokens of sizes) {
          const runs = { plan: [] as Ran[], baseline: [] as Ran[] };
          for (const seed of seeds) {
            const sample = ex.generator.generate({ tokens, seed });
            // The scripted model (a test double) answers from the sample's ground truth, given out of band.
            await endpoint.configure?.(sample.truth);
            const full = await timedRun(ex.plan, {
              input: sample.text,
              query: sample.query,
              model: endpoint.model,
              concurrency: endpoint.concurrency,
            });
            runs.plan.push(ran(full, ex.generator.score(full.outcome.result, sample.expected), full.read));
            const cut = cutToWindow(baseline, sample.text, sample.query, endpoint.contextWindow);
            const direct = await timedRun(baseline, {
              input: cut,
              query: sample.query,
              model: endpoint.model,
              concurrency: endpoint.concurrency,
            });
            runs.baseline.push(
              ran(
                direct,
                ex.generator.score(direct.outcome.result, sample.expected),
                cut.length / sample.text.length,
              ),
            );
          }
          for (const method of ['plan', 'baseline'] as const)
            cells.push(cell(family.name, tokens, method, runs[method]));
          const [p, b] = [cells.at(-2)!, cells.at(-1)!];
          ctx.log(
            `${family.name} ${tokens / 1000}K: plan ${p.meanScore.toFixed(2)} (${p.calls.median} calls), baseline ${b.meanScore.toFixed(2)}`,
          );
        }
      }
    } finally {
      await endpoint.close();
    }
    return {
      endpoint: describeEndpoint(endpoint),
      seeds,
      families: FAMILIES.map((f) => ({ name: f.name, example: f.example, metric: f.metric })),
      cells,
    };
  },
  headline(r) {
    const top = Math.max(...r.cells.map((c) => c.tokens));
    const at = (family: string, method: string) =>
      r.cells
        .find((c) => c.family === family && c.tokens === top && c.method === method)
        ?.meanScore.toFixed(2) ?? '—';
    const scores = r.families
      .map((f) => `${f.name} ${at(f.name, 'plan')} vs ${at(f.name, 'baseline')}`)
      .join(', ');
    return `accuracy at ${top / 1000}K, plan vs direct baseline: ${scores}${r.endpoint.scripted ? ' (scripted server: evidence reached, not reading)' : ` (${r.endpoint.model})`}`;
  },
  report(r, { machine }) {
    const e = r.endpoint;
    const lines = [
      e.scripted
        ? `**Against the scripted server (a test double that answers from each sample's ground truth, and only when the evidence is in the prompt), so the accuracy figures show whether a plan puts the evidence in front of the model** — splitting, filtering, parsing, merging and scoring — not how well a model reads it. Run against a real model as described below for figures that mean something.`
        : `Against **${e.model}** on a real OpenAI-compatible endpoint.`,
      `Model window ${e.contextWindow.toLocaleString('en')} tokens, ${e.concurrency} calls in flight; sizes in tokens at four characters a token; seeds ${r.seeds.join(', ')} (one document per seed and size).`,
      'Each size runs the example plan (`public/examples/`) and a **direct baseline**: the same plan on the document cut to one',
      "leaf window, so the model reads one piece with the example's own prompts, parsing and symbolic steps (an answer step or a",
      'condition call still runs). Accuracy is the mean score over the seeds (min–max); the other columns are medians',
      "(min–max). Calls are model calls made, against the planner's prediction N̂ before the run; tokens are prompt + completion",
      `as the server reports them; "read" is the share of the document the method saw. ${describeMachine(machine)}.`,
      '',
    ];
    for (const f of r.families) {
      lines.push(`### ${f.name} (\`${f.example}\`, scored by ${f.metric})`, '');
      if (f.name === 'OOLONG')
        lines.push(
          'The score is unforgiving by design: a count runs into the tens or hundreds, so a baseline that misses part of the',
          'document is off by many and scores near 0.75^|error| ≈ 0; a "which label is more common" answer is right or wrong.',
          '',
        );
      lines.push('| size | method | accuracy | calls (predicted) | tokens | wall time | read |');
      lines.push('|---:|---|---:|---:|---:|---:|---:|');
      for (const c of r.cells.filter((x) => x.family === f.name)) {
        const acc = `${c.meanScore.toFixed(2)} (${Math.min(...c.scores).toFixed(2)}–${Math.max(...c.scores).toFixed(2)})`;
        const failed = c.failed > 0 ? `, ${c.failed} failed` : '';
        lines.push(
          `| ${c.tokens / 1000}K | ${c.method === 'plan' ? 'plan' : 'direct baseline'} | ${acc}${failed} | ${c.calls.median} (${c.predictedCalls.median}) | ${show(c.tokensUsed, '', 0)} | ${show(c.wallMs, 'ms', 0)} | ${(c.coverage.median * 100).toFixed(0)}% |`,
        );
      }
      lines.push('');
    }
    lines.push(...REAL_MODEL_HOWTO);
    return lines;
  },
};

const REAL_MODEL_HOWTO = [
  '### Running the task families against a real model',
  '',
  'Any OpenAI-compatible endpoint works (vLLM, SGLang, llama.cpp server, Ollama, OpenRouter, OpenAI). For example, Qwen3-8B',
  'served by vLLM on a GPU machine:',
  '',
  '```sh',
  'export VLLM_API_KEY=choose-a-key',
  'vllm serve Qwen/Qwen3-8B --max-model-len 32768 --api-key "$VLLM_API_KEY" --port 8000',
  '',
  '# then, in this repository:',
  'npm run bench -- --only task-families --base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B \\',
  '  --api-key-env VLLM_API_KEY --concurrency 16',
  '```',
  '',
  '- The key is read from the variable named by `--api-key-env`, never from the command line, and is not written to the results.',
  '- Qwen3 leaves run with thinking off (`chat_template_kwargs.enable_thinking: false`, which vLLM and SGLang read); `<think>` blocks are stripped anyway.',
  "- The window comes from the server's `/v1/models` (`max_model_len`); `--context-window 8192` plans for a smaller one (the",
  '  baseline is then cut to 8K too), which is the regime where recursion matters: at 32K the 8K and 16K documents fit whole.',
  '- A full run makes about 3,000 model calls (most of them OOLONG and OOLONG-Pairs leaves of ~1,000 tokens); against an endpoint',
  '  there is no time limit.',
  '- `--sizes 8000,32000` runs fewer sizes; `--runs N` more seeds (at least 5). Results land in `bench/results/task-families.json`',
  '  and this page is rewritten; `--report` rewrites the page alone.',
];

interface Ran {
  run: TimedRun;
  score: number;
  coverage: number;
}

function ran(run: TimedRun, score: number, coverage: number): Ran {
  return { run, score: run.outcome.ok ? score : 0, coverage };
}

function cell(family: string, tokens: number, method: 'plan' | 'baseline', runs: Ran[]): FamilyCell {
  const scores = runs.map((r) => r.score);
  return {
    family,
    tokens,
    method,
    scores,
    meanScore: scores.reduce((s, x) => s + x, 0) / Math.max(1, scores.length),
    failed: runs.filter((r) => !r.run.outcome.ok).length,
    calls: summarize(runs.map((r) => r.run.outcome.totals.leafCalls)),
    predictedCalls: summarize(runs.map((r) => r.run.estimate.totalCalls)),
    tokensUsed: summarize(
      runs.map((r) => r.run.outcome.totals.promptTokens + r.run.outcome.totals.completionTokens),
    ),
    wallMs: summarize(runs.map((r) => r.run.wallMs)),
    coverage: summarize(runs.map((r) => r.coverage)),
  };
}

export interface Endpoint {
  model: LeafModel;
  /** Hands the scripted server a sample's ground truth (absent for a real endpoint). */
  configure?: (truth: GroundTruth) => Promise<void>;
  name: string;
  scripted: boolean;
  contextWindow: number;
  concurrency: number;
  close(): Promise<void>;
}

/** What a result file says of the endpoint it was measured on. */
export function describeEndpoint(endpoint: Endpoint) {
  return {
    scripted: endpoint.scripted,
    model: endpoint.name,
    contextWindow: endpoint.contextWindow,
    concurrency: endpoint.concurrency,
  };
}

export async function connect(ctx: BenchContext): Promise<Endpoint> {
  const o = ctx.options;
  const concurrency = o.concurrency ?? 8;
  let baseUrl: string;
  let name: string;
  let apiKey: string | undefined;
  let close = async () => {};
  let configure: Endpoint['configure'];
  if (o.baseUrl && o.model) {
    baseUrl = o.baseUrl;
    name = o.model;
    if (o.apiKeyEnv) {
      apiKey = process.env[o.apiKeyEnv];
      if (!apiKey) throw new Error(`--api-key-env ${o.apiKeyEnv}: that environment variable is not set`);
    }
  } else {
    const server = await startScriptedProcess({ latencyMs: 0 });
    baseUrl = server.url;
    name = SCRIPTED_MODEL;
    close = () => server.close();
    configure = (truth) => server.configure({ truth: [truth] });
  }
  const probe = new OpenAIModel({ baseUrl, model: name, ...(apiKey ? { apiKey } : {}) });
  const listed = await probe.listModels().catch((e: unknown) => {
    throw new Error(`${baseUrl}: ${(e as Error).message}`);
  });
  const contextWindow = o.contextWindow ?? listed.find((m) => m.id === name)?.contextWindow ?? 8192;
  if (o.contextWindow === undefined && !listed.some((m) => m.id === name && m.contextWindow))
    ctx.log(
      `the server does not say ${name}'s window: planning for ${contextWindow} tokens (--context-window to set it)`,
    );
  const model = new OpenAIModel({
    baseUrl,
    model: name,
    concurrency,
    contextWindow,
    ...(apiKey ? { apiKey } : {}),
  });
  return {
    model,
    name,
    scripted: !o.baseUrl,
    contextWindow,
    concurrency,
    close,
    ...(configure ? { configure } : {}),
  };
}

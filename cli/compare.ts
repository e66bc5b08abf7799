/**
 * `fixpoint compare PLAN|--auto --input FILE --query Q --base-url URL --model M […run's options…] [--json]`:
 * λ-RLM and RLM side by side. Runs the plan (or, with --auto, the template of the detected task family)
 * and then RLM mode on the same document, question and model, exactly as `fixpoint run` would, and prints
 * the comparison read off the two run logs (workers/lang/auto/compare-runs.ts): answer, model calls, tokens
 * in and out, wall time, depth, and the plan's predicted calls against the calls made. Progress of both
 * runs goes to stderr; `--trace FILE` writes the plan run's log to FILE and the RLM run's to FILE.rlm.jsonl.
 *
 * Exit status: 0 both runs answered; 1 one of them failed (the table says how); 2 the command or the plan
 * is wrong.
 */
import type { CAC } from 'cac';
import { compareRuns, formatComparison, type TraceEvent } from '../workers/lang/index.ts';
import { withInterrupt } from './io.ts';
import { addOtlpOptions } from './otlp-export.ts';
import { addRunOptions, type RunCommandOptions, type RunIo, runCommand } from './run.ts';

export function registerCompare(cli: CAC): void {
  const compare = addRunOptions(
    cli.command(
      'compare [plan]',
      'Run a plan (or, with --auto, the template of the question’s task) and RLM mode on the same document and question, and compare them',
    ),
  );
  addOtlpOptions(compare)
    .example(
      'fixpoint compare --auto --input doc.txt --query "What is the secret code for Orion?" --base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B',
    )
    .action((plan: string | undefined, options: RunCommandOptions) =>
      withInterrupt((io) => compareCommand(plan, options, io)),
    );
}

export async function compareCommand(
  planPath: string | undefined,
  options: RunCommandOptions,
  io: RunIo,
): Promise<number> {
  if (planPath === undefined && !options.auto) {
    io.stderr.write('fixpoint compare: missing PLAN (or --auto)\n');
    return 2;
  }
  if (typeof options.query !== 'string' || options.query.trim() === '') {
    io.stderr.write('fixpoint compare: missing --query: RLM mode needs the question\n');
    return 2;
  }
  const planLog: TraceEvent[] = [];
  const rlmLog: TraceEvent[] = [];
  // Each run's own summary (its --json) is kept, not printed: the table says it all, unless a run never
  // started (the detection or the model failed), when its error is what there is to say.
  const summaries = { plan: '', rlm: '' };
  const { json: _json, rlm: _rlm, trace, ...shared } = options;
  const planStatus = await runCommand(
    planPath,
    { ...shared, json: true, ...(trace && { trace }) },
    { ...io, stdout: { write: (t: string) => (summaries.plan += t) }, onEvent: (e) => planLog.push(e) },
  );
  if (planStatus === 2) return 2;
  if (planLog.at(-1)?.type !== 'run.done') return notRun('the plan run', summaries.plan, io);
  if (io.signal?.aborted) return 1;
  const { auto: _auto, family: _family, ...rlmOptions } = shared;
  const rlmStatus = await runCommand(
    undefined,
    { ...rlmOptions, rlm: true, json: true, ...(trace && { trace: `${trace}.rlm.jsonl` }) },
    { ...io, stdout: { write: (t: string) => (summaries.rlm += t) }, onEvent: (e) => rlmLog.push(e) },
  );
  if (rlmStatus === 2) return 2;
  if (rlmLog.at(-1)?.type !== 'run.done') return notRun('the RLM run', summaries.rlm, io);
  let comparison: ReturnType<typeof compareRuns>;
  try {
    comparison = compareRuns(planLog, rlmLog);
  } catch (error) {
    io.stderr.write(`fixpoint compare: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if (options.json) io.stdout.write(`${JSON.stringify(comparison)}\n`);
  else {
    const planHeading = comparison.plan.name ? `λ-RLM: ${comparison.plan.name}` : 'λ-RLM plan';
    io.stdout.write(`${formatComparison(comparison, ['', planHeading, 'RLM (model-written code)'])}\n`);
  }
  return planStatus === 0 && rlmStatus === 0 ? 0 : 1;
}

/** A run that made no log: says why (its summary's error), and there is nothing to compare. */
function notRun(which: string, summary: string, io: RunIo): number {
  let why = 'it stopped before it began';
  try {
    const error = (JSON.parse(summary) as { error?: { kind?: string; message?: string } }).error;
    if (error?.message) why = `${error.kind}: ${error.message}`;
  } catch {
    // No summary: runCommand has already said what went wrong on stderr.
  }
  io.stderr.write(`fixpoint compare: ${which} did not run, nothing to compare: ${why}\n`);
  return 1;
}

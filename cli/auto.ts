/**
 * `fixpoint run --auto --input FILE --query Q [--family KIND] …`: start from the question. The task family
 * is detected with one model call (or taken from --family), its template plan is instantiated with the
 * question and run (workers/runtime/run-auto.ts). The family chosen goes to stderr; the answer to stdout,
 * as for a plan run. A reply that names no family stops before any plan runs: the user picks one with
 * --family.
 */
import {
  isTaskFamily,
  noAnswerFound,
  TASK_FAMILY_IDS,
  type TaskFamily,
  taskFamilyInfo,
} from '../workers/lang/index.ts';
import type { RunAutoResult } from '../workers/runtime/index.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { UsageError } from './io.ts';
import { formatResult, type RunCommandOptions, type RunIo } from './run.ts';

/** The family given with --family, checked; undefined when the model is to detect it. */
export function autoFamily(options: Pick<RunCommandOptions, 'auto' | 'family'>): TaskFamily | undefined {
  if (options.family === undefined) return undefined;
  if (!options.auto) throw new UsageError('--family goes with --auto');
  const family = String(options.family).trim().toLowerCase();
  if (!isTaskFamily(family))
    throw new UsageError(`--family must be one of ${TASK_FAMILY_IDS.join(', ')}, got "${options.family}"`);
  return family;
}

/** Prints the outcome; returns the exit status (0 answered, 1 the run or the detection failed, 2 the template did not check). */
export function reportAuto(io: RunIo, json: boolean | undefined, auto: RunAutoResult): number {
  if (auto.stage === 'detect') {
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, stage: 'detect', error: auto.error })}\n`);
    else
      io.stderr.write(
        `task detection failed: ${auto.error.kind}: ${auto.error.message}\npick the task with --family (${TASK_FAMILY_IDS.join(', ')})\n`,
      );
    return 1;
  }
  if (auto.stage === 'template') {
    const diagnostics = auto.result?.stage === 'check' ? auto.result.diagnostics : [];
    if (json)
      io.stdout.write(
        `${JSON.stringify({ ok: false, stage: 'template', family: auto.family, message: auto.message, diagnostics })}\n`,
      );
    else
      io.stderr.write(
        `the ${auto.family} template cannot run: ${diagnostics.length > 0 ? diagnostics.map(formatDiagnostic).join('\n') : auto.message}\n`,
      );
    return 2;
  }
  const { result } = auto;
  const info = taskFamilyInfo(auto.family);
  if (json) {
    io.stdout.write(
      `${JSON.stringify({
        ok: result.ok,
        family: auto.family,
        chosenBy: auto.chosenBy,
        plan: auto.plan.name,
        result: result.result,
        ...(result.absent && { absent: true }),
        error: result.error,
        estimate: result.estimate,
        totals: result.totals,
      })}\n`,
    );
  } else {
    io.stderr.write(
      `task: ${auto.family} (${info.label}; ${auto.chosenBy === 'model' ? 'detected by the model' : 'picked'}), plan ${info.example}\n`,
    );
    if (result.ok && result.absent) io.stdout.write(`${noAnswerFound(result.totals.leafCalls)}\n`);
    else if (result.ok) io.stdout.write(`${formatResult(result.result)}\n`);
    else io.stderr.write(`run failed: ${result.error?.kind}: ${result.error?.message}\n`);
    const t = result.totals;
    io.stderr.write(
      `${t.leafCalls} model calls (${t.cachedCalls} cached, ${auto.detection ? '1 detection, ' : ''}planner bound ${result.estimate.totalCalls}), ` +
        `${t.promptTokens + t.completionTokens} tokens, ${(t.ms / 1000).toFixed(1)} s\n`,
    );
  }
  return result.ok ? 0 : 1;
}

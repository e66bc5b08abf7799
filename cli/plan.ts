/**
 * `fixpoint plan PLAN --input FILE [--query Q] [--context-window N] [--json]`: what the planner predicts
 * for this plan on this input before any model call: k*, τ*, d, N̂, tokens, the accuracy bound.
 */
import { readFileSync } from 'node:fs';
import type { CAC } from 'cac';
import type { PlanEstimate } from '../workers/lang/index.ts';
import { check, estimate, hasErrors, loadPlan } from '../workers/lang/index.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { type CommandIo, processIo, UsageError } from './io.ts';
import { readPlanFile } from './read-plan.ts';

/** Qwen3 in WebLLM, the playground's default model (its window is 4,096 tokens). */
export const DEFAULT_CONTEXT_WINDOW = 4096;

export interface PlanCommandOptions {
  input?: string;
  query?: string;
  contextWindow?: number | string;
  json?: boolean;
}

export function registerPlan(cli: CAC): void {
  cli
    .command('plan <plan>', 'Predict k*, τ*, depth, calls and tokens for a plan on an input')
    .option('--input <file>', 'The document (text file)')
    .option('--query <question>', "The question (default: the plan's own)")
    .option(
      '--context-window <tokens>',
      `The leaf model's window (default: the plan's, else ${DEFAULT_CONTEXT_WINDOW})`,
    )
    .option('--json', 'Print the estimate as JSON')
    .example('fixpoint plan public/examples/sniah.json --input doc.txt --context-window 32768')
    .action((plan: string, options: PlanCommandOptions) => {
      process.exitCode = planCommand(plan, options, processIo);
    });
}

export function planCommand(path: string, options: PlanCommandOptions, io: CommandIo): number {
  try {
    if (!options.input) throw new UsageError('missing --input FILE');
    let window = DEFAULT_CONTEXT_WINDOW; // the plan's planner.contextWindow, when set, takes precedence
    if (options.contextWindow !== undefined) {
      window = Number(options.contextWindow);
      if (!Number.isInteger(window) || window < 64)
        throw new UsageError(
          `--context-window must be a whole number of tokens (at least 64), got "${options.contextWindow}"`,
        );
    }
    let text: string;
    try {
      text = readFileSync(options.input, 'utf8');
    } catch (e) {
      throw new UsageError(
        `cannot read --input ${options.input}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      );
    }
    const read = readPlanFile(path);
    if (!read.ok) {
      io.stderr.write(`${read.error}\n`);
      return 1;
    }
    const { diagnostics } = check(read.json);
    const loaded = loadPlan(read.json);
    if (hasErrors(diagnostics) || !loaded.ok) {
      io.stderr.write(`${path} does not check:\n${diagnostics.map(formatDiagnostic).join('\n')}\n`);
      return 1;
    }
    // An explicit --context-window wins over the plan's own setting.
    const plan =
      options.contextWindow !== undefined
        ? { ...loaded.plan, planner: { ...loaded.plan.planner, contextWindow: window } }
        : loaded.plan;
    const e = estimate(plan, {
      inputText: text,
      contextWindow: window,
      ...(options.query !== undefined ? { query: options.query } : {}),
    });
    io.stdout.write(options.json ? `${JSON.stringify(e, null, 2)}\n` : formatEstimate(e));
    // A plan that could send a leaf more than its window is refused: it would not run.
    if ((e.refusals ?? []).length > 0) {
      if (!options.json)
        io.stderr.write(
          `${path} is refused by the planner:\n${(e.refusals ?? []).map(formatDiagnostic).join('\n')}\n`,
        );
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`fixpoint plan: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

const int = (x: number) => x.toLocaleString('en');

export function formatEstimate(e: PlanEstimate): string {
  const rows: [string, string][] = [
    ['n (input)', `${int(e.n)} tokens (${e.tokenizer})`],
    ['K (leaf window)', `${int(e.K)} tokens`],
    ['k rule', e.kRule],
    ['k*', int(e.kStar)],
    ['τ*', `${int(e.tauStar)} tokens`],
    ['d', String(e.depth)],
    [
      'N̂ (model calls)',
      `${int(e.totalCalls)}${e.bounded === false ? ' (not bounded: see notes)' : ''} = ${int(e.leafCalls)} leaf + ${int(e.filterCalls)} filter + ${int(e.combineCalls)} combine + ${int(e.repairCalls ?? 0)} repair (retries not included)`,
    ],
    ['tokens', `≤ ${int(e.promptTokens)} prompt + ${int(e.completionTokens)} completion`],
    ...(e.expected
      ? ([
          [
            'expected',
            `${int(e.expected.calls)} calls, ${int(e.expected.promptTokens)} prompt + ${int(e.expected.completionTokens)} completion tokens`,
          ],
        ] as [string, string][])
      : []),
    [
      'accuracy bound',
      `${e.accuracyBound.toFixed(3)} (α = ${e.alpha}: ${e.meetsTarget ? 'met' : 'not met'})`,
    ],
  ];
  // Combining marks (the hat of N̂) take no column.
  const columns = (s: string) => s.replace(/\p{M}/gu, '').length;
  const width = Math.max(...rows.map(([k]) => columns(k)));
  const lines = rows.map(([k, v]) => `${k}${' '.repeat(width - columns(k))}  ${v}`);
  for (const note of e.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

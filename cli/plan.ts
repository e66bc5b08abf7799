/**
 * `fixpoint plan PLAN --input FILE [--query Q] [--context-window N] [--prices FILE [--model NAME]] [--json]`:
 * what the planner predicts for this plan on this input before any model call: k*, τ*, d, N̂, tokens, the
 * accuracy bound and, with a price table, the predicted cost range (the likely cost from the expected tokens
 * to the most from the worst case).
 */
import type { CAC } from 'cac';
import type { ModelPrice, PlanEstimate, PriceTable } from '../workers/lang/index.ts';
import {
  check,
  estimate,
  formatCost,
  hasErrors,
  loadPlan,
  predictedCost,
  priceFor,
} from '../workers/lang/index.ts';
import { DEFAULT_API_CONTEXT_WINDOW } from '../workers/runtime/index.ts';
import { readPriceFile } from './api-model.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { type CommandIo, processIo, UsageError } from './io.ts';
import { readInputFile } from './read-input.ts';
import { readPlanFile } from './read-plan.ts';

/**
 * The window `plan` assumes: the one `run` assumes when the server does not report its own, so that the
 * two commands predict and run the same split of one document.
 */
export const DEFAULT_CONTEXT_WINDOW = DEFAULT_API_CONTEXT_WINDOW;

export interface PlanCommandOptions {
  input?: string;
  query?: string;
  contextWindow?: number | string;
  /** A price table (JSON or CSV) and the model to price: the dry run then says what the run may cost. */
  prices?: string;
  model?: string;
  json?: boolean;
}

/** The predicted cost range of a run, in the price table's currency. */
export interface PredictedCost {
  model: string;
  currency: string;
  expected: number;
  most: number;
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
    .option('--prices <file>', 'Price table (JSON or CSV): print the predicted cost range')
    .option('--model <name>', 'The model to price (needed when the table has more than one)')
    .option('--json', 'Print the estimate as JSON')
    .example('fixpoint plan public/examples/sniah.json --input doc.txt --context-window 32768')
    .example(
      'fixpoint plan public/examples/oolong.json --input doc.txt --prices prices.csv --model Qwen/Qwen3-8B',
    )
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
    const price = options.prices !== undefined ? pricedModel(options.prices, options.model) : undefined;
    const text = readInputFile(options.input);
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
    const cost: PredictedCost | undefined = price && {
      model: price.model,
      currency: price.price.currency,
      ...predictedCost(price.price, e),
    };
    io.stdout.write(
      options.json ? `${JSON.stringify(cost ? { ...e, cost } : e, null, 2)}\n` : formatEstimate(e, cost),
    );
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

/** The model's price from a price table file: the one named, or the table's only one. */
function pricedModel(file: string, model: string | undefined): { model: string; price: ModelPrice } {
  const table: PriceTable = readPriceFile(file);
  const name = model?.trim() || (table.prices.length === 1 ? table.prices[0]!.model : undefined);
  if (!name)
    throw new UsageError(
      `--prices ${file} prices ${table.prices.length === 0 ? 'no model' : `${table.prices.length} models`}: say which with --model NAME`,
    );
  const price = priceFor(table, name);
  if (!price) throw new UsageError(`--prices ${file} has no price for "${name}": add a line for it`);
  return { model: name, price };
}

export function formatEstimate(e: PlanEstimate, cost?: PredictedCost): string {
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
    ...(cost
      ? ([
          [
            'cost',
            `${cost.expected < cost.most ? `~${formatCost(cost.expected, cost.currency)} expected, ` : ''}at most ${formatCost(cost.most, cost.currency)} (${cost.model}, no prompt assumed cached)`,
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

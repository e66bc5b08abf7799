/**
 * What a run, or a batch of runs, has spent against its budgets (DESIGN §3.5): model calls, tokens and
 * money. The scheduler asks before each model call and settles after it.
 *
 * Money is held to strictly: a call is sent only when what was spent, what the calls in flight may still
 * cost, and the most this call can cost (its prompt at the full input price, every max token answered)
 * stay within the budget. So a run never crosses its money budget, even with many calls in flight; it
 * stops, with BudgetExceeded, before the call that could.
 */
import { type CallPricing, formatCost, type TokenUsage } from './cost.ts';
import { RunError } from './errors.ts';

export interface SchedulerBudgets {
  maxCalls?: number;
  maxTokens?: number;
  maxWallMs?: number;
  /** In the currency of the model's price; needs a price (CallPricing). */
  maxCost?: number;
}

/** A call admitted and not yet settled: what it may still cost. */
export interface BudgetHold {
  bound: number;
}

export class BudgetLedger {
  calls = 0;
  promptTokens = 0;
  completionTokens = 0;
  cost = 0;
  /** The most the calls in flight may still cost. */
  private held = 0;

  constructor(
    readonly budgets: SchedulerBudgets,
    /** How errors name the budget: '' for a run's own, 'batch ' for a batch's. */
    private readonly scope = '',
  ) {}

  /**
   * Before a model call: throws BudgetExceeded when it could cross a budget, else counts it and holds its
   * most possible cost until `settle` or `release`.
   */
  admit(pricing: CallPricing | undefined, bound: number | undefined, callId?: string): BudgetHold {
    const { maxCalls, maxTokens, maxCost } = this.budgets;
    if (maxCalls !== undefined && this.calls >= maxCalls)
      throw new RunError(
        'BudgetExceeded',
        `${this.title('Call')} budget of ${maxCalls} leaf calls exceeded.`,
      );
    if (maxTokens !== undefined && this.promptTokens + this.completionTokens >= maxTokens)
      throw new RunError('BudgetExceeded', `${this.title('Token')} budget of ${maxTokens} exceeded.`);
    const most = bound ?? 0;
    if (maxCost !== undefined) {
      if (!pricing)
        throw new RunError(
          'BudgetExceeded',
          `${this.title('Cost')} budget set, but the model has no price: give it one to run under a money budget.`,
          undefined,
          callId,
        );
      if (this.cost + this.held + most > maxCost) {
        const money = (n: number) => formatCost(n, pricing.price.currency);
        const inFlight = this.held > 0 ? `, ${money(this.held)} held for the calls in flight` : '';
        throw new RunError(
          'BudgetExceeded',
          `${this.title('Cost')} budget of ${money(maxCost)} reached: ${money(this.cost)} spent${inFlight}, and the next call could cost up to ${money(most)}; it was not sent.`,
          undefined,
          callId,
        );
      }
    }
    this.calls++;
    this.held += most;
    return { bound: most };
  }

  /** After the answer: the hold released and what the call used counted. */
  settle(hold: BudgetHold, usage: TokenUsage, cost: number | undefined): void {
    this.release(hold);
    this.promptTokens += usage.promptTokens;
    this.completionTokens += usage.completionTokens;
    if (cost !== undefined) this.cost += cost;
  }

  /** The call was never answered (an error, a stop): it costs nothing more. */
  release(hold: BudgetHold): void {
    this.held = Math.max(0, this.held - hold.bound);
    hold.bound = 0;
  }

  /** Set when the tokens counted so far are over the token budget (checked after each answer). */
  overTokens(callId?: string): RunError | undefined {
    const { maxTokens } = this.budgets;
    if (maxTokens === undefined || this.promptTokens + this.completionTokens <= maxTokens) return undefined;
    return new RunError(
      'BudgetExceeded',
      `${this.title('Token')} budget of ${maxTokens} exceeded.`,
      undefined,
      callId,
    );
  }

  private title(word: string): string {
    return this.scope
      ? `${this.scope.charAt(0).toUpperCase()}${this.scope.slice(1)}${word.toLowerCase()}`
      : word;
  }
}

/**
 * Money (docs/models.md, "Cost"): a model's price per million tokens, what a call cost from the usage its
 * server reported, the most a request can cost before it is sent (what a money budget is held to), and the
 * range a plan is predicted to cost.
 *
 * The language knows no price of its own: every price comes from the user (the page's price table,
 * `fixpoint run --prices FILE`). A model without one has no cost, which is not a cost of zero.
 */
import type { PlanEstimate } from '../plan/estimate.ts';
import { requestTokens, type Tokenizer } from '../plan/tokenizer.ts';
import type { LeafRequest } from './provider.ts';

/** What one model costs, per million tokens, in one currency. */
export interface ModelPrice {
  /** Per million prompt tokens. */
  input: number;
  /** Per million completion tokens. */
  output: number;
  /** Per million prompt tokens the server read from its prompt cache; `input` when absent. */
  cachedInput?: number;
  /** ISO 4217 code (USD, EUR, …). */
  currency: string;
}

/** Tokens of one call, as its server counted them. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** Of the prompt tokens, those the server read from its prompt cache (billed at `cachedInput`). */
  cachedPromptTokens?: number;
}

const PER = 1_000_000;

/** What a call cost. Cached prompt tokens are never counted above the prompt's own. */
export function costOf(price: ModelPrice, usage: TokenUsage): number {
  const prompt = Math.max(0, usage.promptTokens);
  const cached = Math.min(prompt, Math.max(0, usage.cachedPromptTokens ?? 0));
  return (
    ((prompt - cached) * price.input +
      cached * (price.cachedInput ?? price.input) +
      Math.max(0, usage.completionTokens) * price.output) /
    PER
  );
}

/**
 * How the scheduler prices calls (a money budget, the totals' cost): the most a request can cost before it
 * is sent, and what it did cost after.
 */
export interface CallPricing {
  readonly price: ModelPrice;
  /**
   * The most `request` can cost: its whole prompt at the full input price, every max token answered. The
   * prompt is counted as the scheduler's window guard counts it (`requestTokens`: the messages and their chat
   * formatting, with the model's calibrated tokenizer or the conservative estimate).
   */
  bound(request: LeafRequest): number;
  of(usage: TokenUsage): number;
}

export function callPricing(price: ModelPrice, tokenizer: Tokenizer): CallPricing {
  return {
    price,
    bound: (request) =>
      costOf(price, {
        promptTokens: requestTokens(request, tokenizer),
        completionTokens: Math.max(0, request.maxTokens),
      }),
    of: (usage) => costOf(price, usage),
  };
}

/**
 * What a plan is predicted to cost on its input: `expected` from the planner's expected tokens (where it
 * gives them; else the bound), `most` from its worst case (every call, every max token). No prompt is
 * assumed cached.
 */
export function predictedCost(
  price: ModelPrice,
  estimate: Pick<PlanEstimate, 'promptTokens' | 'completionTokens'> & {
    expected?: { promptTokens: number; completionTokens: number };
  },
): { expected: number; most: number } {
  const most = costOf(price, estimate);
  const expected = estimate.expected ? Math.min(most, costOf(price, estimate.expected)) : most;
  return { expected, most };
}

/**
 * A sum of money for people, in the price's currency: cents at least, and three significant digits below a
 * unit (a leaf call often costs a hundredth of a cent): $12.35, $0.80, $0.00153, $0.0000432.
 */
export function formatCost(amount: number, currency: string): string {
  const magnitude = amount === 0 ? 0 : Math.floor(Math.log10(Math.abs(amount)));
  const decimals = Math.min(20, Math.max(2, 2 - magnitude));
  try {
    return new Intl.NumberFormat('en', {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: decimals,
    }).format(amount);
  } catch {
    // A code Intl does not know still reads as an amount.
    return `${amount.toFixed(decimals)} ${currency}`;
  }
}

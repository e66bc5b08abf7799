/**
 * What the schedulers of several runs share (a batch: docs/running.md, "Batch runs"): the model calls in
 * flight, and budgets over them all. Each run keeps its own scheduler (its retries, its cache lookups, its
 * own budgets, its own stop when it fails); a budget crossed here stops every run that shares the pool.
 */
import { BudgetLedger, type SchedulerBudgets } from './budget-ledger.ts';
import type { RunError } from './errors.ts';
import { Limiter } from './limiter.ts';

export interface SchedulerPoolOptions {
  /** Model calls in flight over all runs. */
  concurrency: number;
  /** Over all runs (calls, tokens, money); each run's own budgets apply as well. */
  budgets?: SchedulerBudgets;
}

export class SchedulerPool {
  readonly slots: Limiter;
  readonly ledger: BudgetLedger;
  private stoppedWith: RunError | undefined;
  private readonly listeners = new Set<(reason: RunError) => void>();

  constructor(options: SchedulerPoolOptions) {
    this.slots = new Limiter(Math.max(1, Math.floor(options.concurrency)));
    this.ledger = new BudgetLedger(options.budgets ?? {}, 'batch ');
  }

  /** Set once a shared budget stopped every run. */
  get stopped(): RunError | undefined {
    return this.stoppedWith;
  }

  stop(reason: RunError): void {
    if (this.stoppedWith) return;
    this.stoppedWith = reason;
    for (const listener of [...this.listeners]) listener(reason);
    this.listeners.clear();
  }

  /** Told once when the pool stops; returns the unsubscribe. */
  onStop(listener: (reason: RunError) => void): () => void {
    if (this.stoppedWith) {
      listener(this.stoppedWith);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * The terminal progress of `fixpoint run`, read from the run log. On a terminal it redraws one line on
 * stderr (at most every 100 ms, so a fast run does not spend its time painting); piped or in CI, where
 * redrawing makes a mess of logs, it prints a plain line at each tenth of the way.
 */
import type { ModelPrice, TraceEvent } from '../workers/lang/index.ts';
import { costOf, formatCost } from '../workers/lang/index.ts';
import { bar, StatusLine } from './status-line.ts';

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressCounts {
  /** Leaf calls answered (cached ones included). */
  done: number;
  /** The planner's bound on model calls, once the run started. */
  total: number;
  cached: number;
  retries: number;
  failed: number;
  tokens: number;
  /** Money spent so far, when the run has a price (`run.start` says). */
  cost?: number;
}

export class Progress {
  readonly counts: ProgressCounts = { done: 0, total: 0, cached: 0, retries: 0, failed: 0, tokens: 0 };
  private readonly started: number;
  private readonly status: StatusLine;
  private price: ModelPrice | undefined;

  constructor(
    sink: ProgressSink,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.status = new StatusLine(sink, 10, now);
  }

  onEvent(event: TraceEvent): void {
    const c = this.counts;
    switch (event.type) {
      case 'run.start':
        c.total = event.estimate.totalCalls;
        this.price = event.price;
        if (event.price) c.cost = 0;
        break;
      case 'leaf.done':
        c.done++;
        if (event.cached) c.cached++;
        c.retries += event.retries;
        c.tokens += event.promptTokens + event.completionTokens;
        if (this.price) c.cost = (c.cost ?? 0) + costOf(this.price, event);
        break;
      case 'call.error':
        c.failed++;
        break;
      default:
        return;
    }
    this.draw(false);
  }

  /** The last state, and a newline on a terminal so what follows starts on its own line. */
  finish(): void {
    this.draw(true);
    this.status.end();
  }

  private draw(force: boolean): void {
    const c = this.counts;
    this.status.show(c.total > 0 ? c.done / c.total : 0, force, (width) => this.line(this.now(), width));
  }

  private line(now: number, barWidth: number): string {
    const c = this.counts;
    const fraction = c.total > 0 ? Math.min(1, c.done / c.total) : 0;
    const parts = [
      `${c.done}/${c.total || '?'} leaf calls`,
      ...(c.cached ? [`${c.cached} cached`] : []),
      ...(c.retries ? [`${c.retries} retried`] : []),
      ...(c.failed ? [`${c.failed} failed`] : []),
      `${formatCount(c.tokens)} tokens`,
      ...(this.price && c.cost !== undefined ? [formatCost(c.cost, this.price.currency)] : []),
      `${((now - this.started) / 1000).toFixed(1)} s`,
    ];
    if (barWidth <= 0) return `progress: ${parts.join(' · ')}`;
    return `${bar(fraction, barWidth)} ${parts.join(' · ')}`;
  }
}

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

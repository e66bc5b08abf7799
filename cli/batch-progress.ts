/**
 * The progress of `fixpoint batch` on stderr: documents done of all, failures, model calls, tokens, money,
 * time spent and time left. On a terminal one line is redrawn (at most every 100 ms); piped or in CI, a
 * plain line is printed at each hundredth of the way, so a log gets at most a hundred of them.
 */
import type { ModelPrice, TraceEvent } from '../workers/lang/index.ts';
import { costOf, formatCost } from '../workers/lang/index.ts';
import { formatCount, type ProgressSink } from './progress.ts';
import { bar, StatusLine } from './status-line.ts';

export interface BatchCounts {
  /** Documents to run in this session (those already in the results are not counted). */
  total: number;
  done: number;
  failed: number;
  running: number;
  calls: number;
  cachedCalls: number;
  tokens: number;
  /** Spent so far, when the model has a price. */
  cost?: number;
}

export class BatchProgress {
  readonly counts: BatchCounts;
  private readonly started: number;
  private readonly status: StatusLine;

  constructor(
    sink: ProgressSink,
    total: number,
    private readonly price: ModelPrice | null,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.status = new StatusLine(sink, 100, now);
    this.counts = {
      total,
      done: 0,
      failed: 0,
      running: 0,
      calls: 0,
      cachedCalls: 0,
      tokens: 0,
      ...(price && { cost: 0 }),
    };
  }

  /** A document's run log, as it happens. */
  onEvent(event: TraceEvent): void {
    if (event.type !== 'leaf.done') return;
    const c = this.counts;
    c.calls++;
    if (event.cached) c.cachedCalls++;
    c.tokens += event.promptTokens + event.completionTokens;
    if (this.price) c.cost = (c.cost ?? 0) + costOf(this.price, event);
    this.draw(false);
  }

  begun(): void {
    this.counts.running++;
    this.draw(false);
  }

  finished(ok: boolean): void {
    const c = this.counts;
    c.running = Math.max(0, c.running - 1);
    c.done++;
    if (!ok) c.failed++;
    this.draw(false);
  }

  /** A document stopped from outside (an interrupt, a budget): not done, not running. */
  stopped(): void {
    this.counts.running = Math.max(0, this.counts.running - 1);
  }

  finish(): void {
    if (this.counts.total === 0) return;
    this.draw(true);
    this.status.end();
  }

  line(now = this.now()): string {
    const c = this.counts;
    const elapsed = now - this.started;
    const left = c.done > 0 && c.done < c.total ? (elapsed / c.done) * (c.total - c.done) : null;
    return [
      `${c.done}/${c.total} documents`,
      ...(c.failed ? [`${c.failed} failed`] : []),
      ...(c.running ? [`${c.running} running`] : []),
      `${formatCount(c.calls)} calls${c.cachedCalls ? ` (${formatCount(c.cachedCalls)} cached)` : ''}`,
      `${formatCount(c.tokens)} tokens`,
      this.price ? formatCost(c.cost ?? 0, this.price.currency) : 'no price',
      clock(elapsed),
      ...(left !== null ? [`about ${clock(left)} left`] : []),
    ].join(' · ');
  }

  private draw(force: boolean): void {
    const c = this.counts;
    const fraction = c.total > 0 ? c.done / c.total : 0;
    this.status.show(
      fraction,
      force,
      (width) => (width > 0 ? `${bar(fraction, width)} ${this.line()}` : `batch: ${this.line()}`),
      90,
    );
  }
}

/** 4.2 s, 3m12s, 1h05m. */
export function clock(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

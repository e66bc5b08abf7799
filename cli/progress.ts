/**
 * The terminal progress of `fixpoint run`, read from the run log. On a terminal it redraws one line on
 * stderr (at most every 100 ms, so a fast run does not spend its time painting); piped or in CI, where
 * redrawing makes a mess of logs, it prints a plain line at each tenth of the way.
 */
import type { TraceEvent } from '../workers/lang/index.ts';

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
}

export class Progress {
  readonly counts: ProgressCounts = { done: 0, total: 0, cached: 0, retries: 0, failed: 0, tokens: 0 };
  private lastDraw = 0;
  private lastTenth = -1;
  private drawn = false;
  private readonly started: number;

  constructor(
    private readonly sink: ProgressSink,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  onEvent(event: TraceEvent): void {
    const c = this.counts;
    switch (event.type) {
      case 'run.start':
        c.total = event.estimate.totalCalls;
        break;
      case 'leaf.done':
        c.done++;
        if (event.cached) c.cached++;
        c.retries += event.retries;
        c.tokens += event.promptTokens + event.completionTokens;
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
    if (this.sink.isTTY && this.drawn) this.sink.write('\n');
  }

  private draw(force: boolean): void {
    const now = this.now();
    const c = this.counts;
    if (this.sink.isTTY) {
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.drawn = true;
      this.sink.write(
        `\r\x1b[2K${this.line(now, Math.max(20, Math.min(40, (this.sink.columns ?? 80) - 60)))}`,
      );
      return;
    }
    const tenth = c.total > 0 ? Math.floor((10 * Math.min(c.done, c.total)) / c.total) : 0;
    if (tenth > this.lastTenth || (force && !this.drawn)) {
      this.lastTenth = tenth;
      this.drawn = true;
      this.sink.write(`${this.line(now, 0)}\n`);
    }
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
      `${((now - this.started) / 1000).toFixed(1)} s`,
    ];
    if (barWidth <= 0) return `progress: ${parts.join(' · ')}`;
    const filled = Math.round(fraction * barWidth);
    return `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${parts.join(' · ')}`;
  }
}

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

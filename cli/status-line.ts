import type { ProgressSink } from './progress.ts';

/**
 * One line of progress on stderr. On a terminal it is redrawn in place, at most every 100 ms so a fast run
 * does not spend its time painting; piped or in CI, where redrawing makes a mess of logs, a plain line is
 * printed each time the work passes one of `steps` marks (a tenth, a hundredth).
 */
export class StatusLine {
  private lastDraw = 0;
  private lastStep = -1;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly steps: number,
    private readonly now: () => number,
  ) {}

  /** `render(width)`: the line, with a bar `width` wide on a terminal (0: none). */
  show(fraction: number, force: boolean, render: (barWidth: number) => string, barRoom = 60): void {
    const now = this.now();
    if (this.sink.isTTY) {
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.drawn = true;
      const width = Math.max(10, Math.min(40, (this.sink.columns ?? 80) - barRoom));
      this.sink.write(`\r\x1b[2K${render(width)}`);
      return;
    }
    const step = Math.floor(this.steps * Math.min(1, Math.max(0, fraction)));
    if (step > this.lastStep || (force && !this.drawn)) {
      this.lastStep = step;
      this.drawn = true;
      this.sink.write(`${render(0)}\n`);
    }
  }

  /** After the last `show`: a newline on a terminal, so what follows starts on its own line. */
  end(): void {
    if (this.sink.isTTY && this.drawn) this.sink.write('\n');
  }
}

/** `[███░░░]`, `width` characters of bar. */
export function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

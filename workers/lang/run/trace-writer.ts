/**
 * Writes the run log (docs/evaluation.md): stamps each event with the run id, a monotonic sequence number and
 * the time since the run started, hands it to the sink, and keeps the counts `run.done` reports. Events
 * are built once and never copied: the sink receives the object the evaluator made.
 */
import type { TraceEvent } from './events.ts';

type Unstamped<E> = E extends TraceEvent ? Omit<E, 'runId' | 'seq' | 't'> : never;
export type EventBody = Unstamped<TraceEvent>;

export class TraceWriter {
  private seq = 0;
  private readonly started: number;
  calls = 0;
  leafCalls = 0;
  cachedCalls = 0;
  private nextCall = 0;

  constructor(
    readonly runId: string,
    private readonly sink: (event: TraceEvent) => void,
    private readonly now: () => number,
  ) {
    this.started = now();
  }

  /** Milliseconds since the run started. */
  elapsed(): number {
    return Math.round((this.now() - this.started) * 1000) / 1000;
  }

  /** A fresh call id; ids are issued in start order so a deterministic run gets the same ids. */
  newCallId(): string {
    return `c${this.nextCall++}`;
  }

  emit(body: EventBody): void {
    switch (body.type) {
      case 'call.start':
        this.calls++;
        break;
      case 'leaf.request':
        this.leafCalls++;
        break;
      case 'leaf.done':
        if (body.cached) this.cachedCalls++;
        break;
    }
    const event = { runId: this.runId, seq: this.seq++, t: this.elapsed(), ...body } as TraceEvent;
    try {
      this.sink(event);
    } catch {
      // A failing reader of the log must not change what the run computes.
    }
  }
}

/**
 * A push-to-pull queue: the evaluator pushes events as they happen, a consumer reads them with
 * `for await`. Reading never copies; a slow reader only makes the queue longer (the run is not slowed).
 */
export class EventStream<T> implements AsyncIterable<T> {
  private buffer: T[] = [];
  private head = 0;
  private closed = false;
  private failure: unknown;
  private wake: (() => void) | undefined;

  push(item: T): void {
    if (this.closed) return;
    this.buffer.push(item);
    this.notify();
  }

  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.head < this.buffer.length) {
        const item = this.buffer[this.head]!;
        this.head++;
        // Drop what was read now and then, so a long run does not keep every event twice.
        if (this.head >= 4096 && this.head * 2 >= this.buffer.length) {
          this.buffer = this.buffer.slice(this.head);
          this.head = 0;
        }
        yield item;
        continue;
      }
      if (this.closed) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}

/**
 * Carries the run log from the worker to the page in batches (10,000 traced calls must not
 * freeze the UI). Events are gathered for up to `maxDelayMs` or `maxEvents`, whichever comes first, and at
 * most one batch is in flight: while the page is still taking one, the next keeps growing. A slow page
 * therefore gets fewer, larger batches instead of a queue of messages it cannot keep up with.
 */
export interface EventBatcherOptions {
  maxEvents?: number;
  maxDelayMs?: number;
}

export interface EventBatcher<E> {
  push(event: E): void;
  /** Sends what is gathered (after the batch in flight) and resolves once the page took everything. */
  flush(): Promise<void>;
}

export function createEventBatcher<E>(
  deliver: (batch: E[]) => unknown,
  options: EventBatcherOptions = {},
): EventBatcher<E> {
  const maxEvents = options.maxEvents ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 50;
  let buffer: E[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;

  const send = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (inFlight) return inFlight;
    if (buffer.length === 0) return Promise.resolve();
    const batch = buffer;
    buffer = [];
    // A page that fails to take a batch (closed tab, thrown handler) must not stop the run.
    inFlight = Promise.resolve()
      .then(() => deliver(batch))
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        inFlight = undefined;
        if (buffer.length >= maxEvents) return send();
        if (buffer.length > 0) arm();
        return undefined;
      });
    return inFlight;
  };

  const arm = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void send();
    }, maxDelayMs);
  };

  return {
    push(event) {
      buffer.push(event);
      if (inFlight) return;
      if (buffer.length >= maxEvents) void send();
      else arm();
    },
    async flush() {
      while (inFlight || buffer.length > 0) await send();
    },
  };
}

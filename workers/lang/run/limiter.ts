/**
 * The one concurrency limiter: at most `limit` tasks at once, the others waiting in the order they came.
 * The scheduler holds leaf calls to the model's concurrency with it, the evaluator a Map's or Filter's
 * items to the node's limit, and a local engine (limit 1) its generations, one at a time. `stop` turns the
 * waiting tasks (and any later one) away with a reason; tasks already running finish on their own.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private head = 0;
  private stopped: { reason: unknown } | undefined;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`a limiter needs a limit of at least 1, not ${limit}`);
  }

  /** Waits for a free place and takes it; give it back with `release`. */
  acquire(): Promise<void> {
    if (this.stopped) return Promise.reject(this.stopped.reason);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({
        resolve: () => {
          this.active++;
          resolve();
        },
        reject,
      });
    });
  }

  release(): void {
    this.active--;
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      this.head++;
      // Compact now and then so a long run does not keep every settled waiter alive.
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next.resolve();
    }
  }

  /** Runs a task when a place is free; the place is given back however it ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Turns away every waiting task, and every later one, with `reason`. */
  stop(reason: unknown): void {
    if (this.stopped) return;
    this.stopped = { reason };
    const waiters = this.waiting.slice(this.head);
    this.waiting.length = 0;
    this.head = 0;
    for (const w of waiters) w.reject(reason);
  }
}

/**
 * Runs task(0…n-1) with at most `limit` at once, started in order. After a failure no further task starts;
 * the ones running finish, then the first failure is thrown.
 */
export async function forEachLimited(
  n: number,
  limit: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  const limiter = new Limiter(Math.max(1, Math.min(limit, n)));
  let failure: { error: unknown } | undefined;
  const runs: Promise<void>[] = [];
  for (let i = 0; i < n && !failure; i++) {
    await limiter.acquire();
    if (failure) {
      limiter.release();
      break;
    }
    runs.push(
      task(i).then(
        () => limiter.release(),
        (error: unknown) => {
          failure ??= { error };
          limiter.release();
        },
      ),
    );
  }
  await Promise.all(runs);
  if (failure) throw failure.error;
}

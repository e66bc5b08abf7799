/**
 * The one concurrency limiter: at most `limit` tasks at once, the others waiting in the order they came.
 * The scheduler holds leaf calls to the model's concurrency with it (one limiter shared by the runs of a
 * batch: SchedulerPool), the evaluator a Map's or Filter's
 * items to the node's limit, and a local engine (limit 1) its generations, one at a time. `stop` turns the
 * waiting tasks (and any later one) away with a reason; tasks already running finish on their own.
 */
/** A place asked for: `ready` resolves once it is held, or rejects with the reason it was withdrawn. */
export interface LimiterTicket {
  readonly ready: Promise<void>;
  /** Withdraws a task still waiting (no effect once it holds its place). */
  withdraw(reason: unknown): void;
}

interface Waiter {
  grant(): void;
  refuse(reason: unknown): void;
}

export class Limiter {
  private active = 0;
  /** Insertion-ordered: the first key is the longest waiting; a withdrawn waiter leaves in O(1). */
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 0;
  private stopped: { reason: unknown } | undefined;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`a limiter needs a limit of at least 1, not ${limit}`);
  }

  /** Places held now. */
  get inFlight(): number {
    return this.active;
  }

  /**
   * Asks for a place; the ticket can be withdrawn while it waits (a run that stops takes its own waiting
   * calls out when several runs share one limiter). Give a place back with `release`.
   */
  take(): LimiterTicket {
    if (this.stopped) {
      const refused = Promise.reject(this.stopped.reason);
      refused.catch(() => undefined);
      return { ready: refused, withdraw: () => undefined };
    }
    if (this.active < this.limit && this.waiting.size === 0) {
      this.active++;
      return { ready: Promise.resolve(), withdraw: () => undefined };
    }
    const id = this.nextId++;
    let waiter!: Waiter;
    const ready = new Promise<void>((resolve, reject) => {
      waiter = { grant: resolve, refuse: reject };
    });
    this.waiting.set(id, waiter);
    return {
      ready,
      withdraw: (reason) => {
        if (this.waiting.delete(id)) waiter.refuse(reason);
      },
    };
  }

  /** Waits for a free place and takes it; give it back with `release`. */
  acquire(): Promise<void> {
    return this.take().ready;
  }

  release(): void {
    const next = this.waiting.entries().next();
    if (next.done) {
      this.active = Math.max(0, this.active - 1);
      return;
    }
    // The place passes straight to the longest waiting task.
    this.waiting.delete(next.value[0]);
    next.value[1].grant();
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
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiters) w.refuse(reason);
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

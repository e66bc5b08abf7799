/**
 * The in-flight limit on model calls: a counting semaphore whose waiters are served first come, first
 * served, and can be withdrawn (a run that stops takes its queued calls out, and only its own, when several
 * runs share the slots).
 */
import type { RunError } from './errors.ts';

export interface SlotTicket {
  /** Resolves once the call holds a slot; rejects with the reason it was withdrawn. */
  readonly ready: Promise<void>;
  /** Withdraws a call still waiting (no effect once it holds its slot). */
  withdraw(reason: RunError): void;
}

interface Waiter {
  grant(): void;
  refuse(reason: RunError): void;
}

export class CallSlots {
  private active = 0;
  /** Insertion-ordered: the first key is the longest waiting; a withdrawn waiter leaves in O(1). */
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 0;

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  take(): SlotTicket {
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

  release(): void {
    const next = this.waiting.entries().next();
    if (next.done) {
      this.active = Math.max(0, this.active - 1);
      return;
    }
    // The slot passes straight to the longest waiting call.
    this.waiting.delete(next.value[0]);
    next.value[1].grant();
  }
}

/**
 * The sandbox as the page runs it: QuickJS in a Web Worker of its own (sandbox.worker.ts), one worker per
 * sandbox. The interrupt handler inside stops runaway code; should a cell still not come back (a built-in
 * working through a huge array cannot be interrupted), a watchdog here terminates the worker, reports a
 * Timeout, and the run starts a fresh one. Aborting the run stops the cell, and kills the worker if it does
 * not stop at once.
 */
import type { CellHost, CellOptions, CellResult, Sandbox, SandboxFactory, SandboxLimits } from './sandbox.ts';
import type { FromSandbox, ToSandbox } from './sandbox-protocol.ts';

/** How long a worker may take to load the engine and the document. */
const START_MS = 30_000;
/** Grace beyond the cell's own limit before the watchdog kills the worker. */
const GRACE_MS = 2_000;
/** After an abort, how long the cell has to stop by itself. */
const ABORT_GRACE_MS = 300;

export function workerSandboxFactory(makeWorker: () => Worker): SandboxFactory {
  return async (limits) => {
    const sandbox = new WorkerSandbox(makeWorker(), limits);
    return sandbox;
  };
}

class WorkerSandbox implements Sandbox {
  private dead = false;
  private listener: ((message: FromSandbox) => void) | null = null;

  constructor(
    private readonly worker: Worker,
    private readonly limits: SandboxLimits,
  ) {
    worker.onmessage = (event: MessageEvent<FromSandbox>) => this.listener?.(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.kill();
      this.listener?.({ type: 'failed', message: event.message || 'the sandbox worker failed' });
    };
  }

  get alive(): boolean {
    return !this.dead;
  }

  private send(message: ToSandbox): void {
    if (!this.dead) this.worker.postMessage(message);
  }

  private kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.worker.terminate();
  }

  load(context: string, query: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error('the sandbox did not start in time'));
      }, START_MS);
      this.listener = (message) => {
        if (message.type !== 'ready' && message.type !== 'failed') return;
        clearTimeout(timer);
        this.listener = null;
        if (message.type === 'ready') resolve();
        else reject(new Error(`the sandbox could not start: ${message.message}`));
      };
      this.send({ type: 'init', limits: this.limits, context, query });
    });
  }

  run(code: string, host: CellHost, options: CellOptions = {}): Promise<CellResult> {
    if (this.dead) {
      return Promise.resolve({
        output: '',
        droppedChars: 0,
        ms: 0,
        error: { kind: 'Crashed', message: 'the sandbox is gone' },
      });
    }
    return new Promise((resolve) => {
      // The watchdog counts time the cell may be running code: not while the host answers llm_query.
      let outstanding = 0;
      let busySince: number | null = Date.now();
      let busy = 0;
      let settled = false;
      const finish = (result: CellResult) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        options.signal?.removeEventListener('abort', onAbort);
        this.listener = null;
        resolve(result);
      };
      const killed = (message: string): CellResult => {
        this.kill();
        return {
          output: '',
          droppedChars: 0,
          ms: Math.round(busy + (busySince === null ? 0 : Date.now() - busySince)),
          error: { kind: 'Timeout', message },
        };
      };
      const limit = this.limits.cellMs + GRACE_MS;
      const watchdog = setInterval(() => {
        const spent = busy + (busySince === null ? 0 : Date.now() - busySince);
        if (settled) return;
        if (spent > limit || (options.stopAt !== undefined && Date.now() > options.stopAt + GRACE_MS)) {
          finish(
            killed(
              `the cell did not stop within ${this.limits.cellMs.toLocaleString('en')} ms; the sandbox was killed and restarted, and the variables of earlier cells are gone`,
            ),
          );
        }
      }, 100);
      const onAbort = () => {
        this.send({ type: 'stop' });
        setTimeout(() => {
          if (!settled) finish(killed('the run was aborted'));
        }, ABORT_GRACE_MS);
      };
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      this.listener = (message) => {
        if (message.type === 'cell') {
          if (message.alive === false) this.kill();
          finish(message.result);
        } else if (message.type === 'failed') {
          this.kill();
          finish({
            output: '',
            droppedChars: 0,
            ms: 0,
            error: { kind: 'Crashed', message: message.message },
          });
        } else if (message.type === 'query') {
          if (outstanding++ === 0 && busySince !== null) {
            busy += Date.now() - busySince;
            busySince = null;
          }
          host.llmQuery(message.prompts).then(
            ({ answers, stop }) => {
              if (--outstanding === 0) busySince = Date.now();
              this.send({ type: 'answers', id: message.id, answers, stop });
            },
            (e: unknown) => {
              if (--outstanding === 0) busySince = Date.now();
              const text = e instanceof Error ? e.message : String(e);
              this.send({
                type: 'answers',
                id: message.id,
                answers: message.prompts.map(() => ({ ok: false, kind: 'LlmQueryFailed', message: text })),
                stop: false,
              });
            },
          );
        }
      };
      this.send({ type: 'run', code, ...(options.stopAt !== undefined ? { stopAt: options.stopAt } : {}) });
    });
  }

  readVariable(name: string): Promise<{ ok: true; value: string } | { ok: false; message: string }> {
    if (this.dead) return Promise.resolve({ ok: false, message: 'the sandbox is gone' });
    return new Promise((resolve) => {
      this.listener = (message) => {
        if (message.type !== 'read') return;
        this.listener = null;
        resolve(message.result);
      };
      this.send({ type: 'read', name });
    });
  }

  dispose(): void {
    this.kill();
  }
}

/**
 * The sandbox on QuickJS compiled to WebAssembly (quickjs-emscripten, the synchronous release build).
 * `llm_query` returns a promise inside the sandbox; the host drives the cell: it runs the code and the
 * jobs it queued, waits for the model answers the cell asked for, hands them in, and repeats until the
 * cell's own promise settles (cells run as async functions: cell-transform.ts).
 *
 * Limits: an interrupt handler stops a cell whose code has run longer than `cellMs` (time spent waiting
 * for the model is not counted) or that runs past the run's own deadline or stop; QuickJS's memory and
 * stack limits bound allocation and recursion; printed output is kept up to `outputChars` and counted
 * beyond. The context has no module loader and no host objects: only the language's built-ins and what
 * the prelude defines. (The asyncify build, where llm_query could block, was measured and refused: once
 * the browser's or Node's optimising compiler takes its frames, fifty nested calls overflow the host's
 * stack.)
 *
 * This file runs the engine in the calling thread (Node, tests). The page runs the very same code inside a
 * Web Worker of its own (sandbox.worker.ts), where a runaway cell cannot freeze anything else.
 */
import type {
  QuickJSContext,
  QuickJSDeferredPromise,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSSyncVariant,
  QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { transformCell } from './cell-transform.ts';
import { PRELUDE } from './prelude.ts';
import type { CellHost, CellOptions, CellResult, Sandbox, SandboxError, SandboxLimits } from './sandbox.ts';

/** Globals a browser or Node would have and the sandbox has not: reaching for one is `NotAvailable`. */
const HOST_NAMES = new Set([
  'fetch',
  'require',
  'process',
  'module',
  'exports',
  'window',
  'self',
  'document',
  'navigator',
  'location',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'importScripts',
  'Worker',
  'setTimeout',
  'setInterval',
  'queueMicrotask',
  'Deno',
  'Bun',
  'Buffer',
  'localStorage',
  'indexedDB',
]);

interface PendingQuery {
  deferred: QuickJSDeferredPromise;
  /** Resolves with the answers' JSON once the host has them. */
  settled: Promise<void>;
  json: string | undefined;
}

interface Running {
  host: CellHost;
  /** Milliseconds of code run so far, and when the current stretch began (null while waiting). */
  cpu: number;
  slice: number | null;
  pending: Set<PendingQuery>;
  stopAt: number | undefined;
  /** The host said the run is over: the next interrupt check ends the cell. */
  stop: boolean;
  interrupted: 'time' | 'stopped' | 'memory' | null;
  /** When the heap was last measured (ms, `now()`). */
  memoryCheckedAt: number;
  output: string;
  dropped: number;
  final: string | undefined;
  importTried: string | undefined;
}

const now = () => performance.now();
/** How often a running cell's heap is measured, in ms. */
const MEMORY_CHECK_MS = 20;

export interface QuickJsSandboxOptions {
  /** The engine build; the release build from the package by default (Node loads its .wasm from disk). */
  variant?: QuickJSSyncVariant;
}

/**
 * One WebAssembly instance per thread, shared by its sandboxes (each has its own QuickJS runtime, heap
 * and globals): compiling the engine once is cheaper, and a crashed instance is replaced.
 */
const instances = new Map<QuickJSSyncVariant | undefined, Promise<QuickJSWASMModule>>();

async function engine(variant: QuickJSSyncVariant | undefined): Promise<QuickJSWASMModule> {
  let instance = instances.get(variant);
  if (!instance) {
    instance = (async () => {
      const core = await import('quickjs-emscripten-core');
      const chosen =
        variant ?? ((await import('@jitl/quickjs-wasmfile-release-sync')).default as QuickJSSyncVariant);
      return core.newQuickJSWASMModuleFromVariant(chosen);
    })();
    instances.set(variant, instance);
    instance.catch(() => instances.delete(variant));
  }
  return instance;
}

export async function createQuickJsSandbox(
  limits: SandboxLimits,
  options: QuickJsSandboxOptions = {},
): Promise<Sandbox> {
  const wasm = await engine(options.variant);
  const runtime = wasm.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setMaxStackSize(limits.stackBytes);
  return new QuickJsSandbox(runtime, limits);
}

class QuickJsSandbox implements Sandbox {
  private readonly vm: QuickJSContext;
  private readonly api: { format: QuickJSHandle; readVariable: QuickJSHandle };
  private running: Running | null = null;
  private dead = false;

  constructor(
    private readonly runtime: QuickJSRuntime,
    private readonly limits: SandboxLimits,
  ) {
    const vm = runtime.newContext();
    this.vm = vm;
    runtime.setInterruptHandler(() => this.shouldInterrupt());
    // No module may load: import() fails, and the attempt is reported as NotAvailable.
    runtime.setModuleLoader((name) => {
      if (this.running) this.running.importTried ??= name;
      return { error: new Error(`import of "${name}" is not available: the sandbox loads no modules`) };
    });
    const rawQuery = vm.newFunction('rawQuery', (json) => {
      const cell = this.running;
      const deferred = vm.newPromise();
      if (!cell) {
        const none = vm.newString('[]');
        deferred.resolve(none);
        none.dispose();
        return deferred.handle;
      }
      let prompts: string[];
      try {
        prompts = JSON.parse(vm.getString(json)) as string[];
      } catch {
        prompts = [];
      }
      const query: PendingQuery = { deferred, settled: Promise.resolve(), json: undefined };
      query.settled = cell.host.llmQuery(prompts).then(
        ({ answers, stop }) => {
          if (stop) cell.stop = true;
          query.json = JSON.stringify(answers);
        },
        (e: unknown) => {
          const message = e instanceof Error ? e.message : String(e);
          query.json = JSON.stringify(prompts.map(() => ({ ok: false, kind: 'LlmQueryFailed', message })));
        },
      );
      cell.pending.add(query);
      return deferred.handle;
    });
    const rawPrint = vm.newFunction('rawPrint', (text) => {
      const cell = this.running;
      if (cell) this.append(cell, vm.getString(text));
    });
    const rawFinal = vm.newFunction('rawFinal', (text) => {
      const cell = this.running;
      if (cell && cell.final === undefined) cell.final = vm.getString(text);
    });
    const made = vm.unwrapResult(vm.evalCode(PRELUDE, 'prelude.js'));
    const api = vm.unwrapResult(vm.callFunction(made, vm.undefined, rawQuery, rawPrint, rawFinal));
    made.dispose();
    rawQuery.dispose();
    rawPrint.dispose();
    rawFinal.dispose();
    this.api = { format: vm.getProp(api, 'format'), readVariable: vm.getProp(api, 'readVariable') };
    api.dispose();
  }

  get alive(): boolean {
    return !this.dead;
  }

  async load(context: string, query: string): Promise<void> {
    const { vm } = this;
    for (const [name, value] of [
      ['context', context],
      ['query', query],
    ] as const) {
      const handle = vm.newString(value);
      vm.setProp(vm.global, name, handle);
      handle.dispose();
    }
  }

  private shouldInterrupt(): boolean {
    const cell = this.running;
    if (!cell) return false;
    if (cell.stop || (cell.stopAt !== undefined && Date.now() > cell.stopAt)) {
      cell.interrupted = 'stopped';
      return true;
    }
    if (cell.slice !== null && cell.cpu + (now() - cell.slice) > this.limits.cellMs) {
      cell.interrupted = 'time';
      return true;
    }
    // QuickJS's own limit refuses one allocation over it but lets many smaller ones (strings, typed arrays)
    // add up past it (quickjs-emscripten issue 271), so the heap is also measured here, at most every
    // MEMORY_CHECK_MS, and when the cell ends (run).
    const t = now();
    if (t - cell.memoryCheckedAt >= MEMORY_CHECK_MS) {
      cell.memoryCheckedAt = t;
      if (this.memoryUsed() > this.limits.memoryBytes) {
        cell.interrupted = 'memory';
        return true;
      }
    }
    return false;
  }

  /**
   * The cell's heap went over the limit. What it made is still held by its variables, and only a fresh
   * sandbox gives the memory back, so this one is given up.
   */
  private overMemory(): SandboxError {
    this.dead = true;
    return {
      kind: 'OutOfMemory',
      message: `the cell went over the sandbox's ${Math.round(this.limits.memoryBytes / 1024 / 1024)} MiB of memory and was stopped; the sandbox was restarted and the variables of earlier cells are gone`,
    };
  }

  /** Bytes the runtime holds (QuickJS's own count, which sees every allocation), or 0 if it cannot say. */
  private memoryUsed(): number {
    return this.heapFigure('memory_used_size');
  }

  /**
   * One figure of QuickJS's memory report. Every handle is given back: this runs from the interrupt handler
   * as often as every MEMORY_CHECK_MS, and a handle left behind is wasm memory never freed.
   */
  private heapFigure(field: 'memory_used_size' | 'malloc_size'): number {
    try {
      const usage = this.runtime.computeMemoryUsage();
      try {
        const value = this.vm.getProp(usage, field);
        try {
          return this.vm.getNumber(value);
        } finally {
          value.dispose();
        }
      } finally {
        usage.dispose();
      }
    } catch {
      return 0;
    }
  }

  private append(cell: Running, text: string): void {
    const room = this.limits.outputChars - cell.output.length;
    if (room >= text.length) cell.output += text;
    else {
      if (room > 0) cell.output += text.slice(0, room);
      cell.dropped += text.length - Math.max(0, room);
    }
  }

  async run(code: string, host: CellHost, options: CellOptions = {}): Promise<CellResult> {
    if (this.dead) {
      return {
        output: '',
        droppedChars: 0,
        ms: 0,
        error: { kind: 'Crashed', message: 'the sandbox is gone' },
      };
    }
    if (this.running) throw new Error('a cell is already running in this sandbox');
    const cell: Running = {
      host,
      cpu: 0,
      slice: null,
      pending: new Set(),
      stopAt: options.stopAt,
      stop: false,
      interrupted: null,
      memoryCheckedAt: now(),
      output: '',
      dropped: 0,
      final: undefined,
      importTried: undefined,
    };
    this.running = cell;
    // Seen while the cell waits for the model (the engine itself is interrupted by the handler).
    const onAbort = () => {
      cell.stop = true;
    };
    if (options.signal?.aborted) cell.stop = true;
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let error: SandboxError | undefined;
    try {
      error = await this.execute(code, cell);
      // The interrupt handler runs only every so many thousand steps: a short loop of large allocations
      // ends before it looks, so the heap is measured once more when the cell ends.
      if (!error && this.memoryUsed() > this.limits.memoryBytes) error = this.overMemory();
      // Answers still on their way (the cell stopped early) are waited for, so the log keeps its order.
      await this.settleAll(cell);
    } catch (e) {
      // The engine itself failed: this instance is done. Should the host thread's stack run out before
      // QuickJS's own limit sees it (the asyncify build did, at fifty nested calls), that is a stack overflow
      // too, with the sandbox restarted.
      this.dead = true;
      // The next sandbox gets a fresh engine rather than one that failed mid-call.
      instances.clear();
      const message = e instanceof Error ? e.message : String(e);
      error = /maximum call stack/i.test(message)
        ? {
            kind: 'StackOverflow',
            message:
              'the cell nested too deeply for the engine (stack overflow); the sandbox was restarted and the variables of earlier cells are gone',
          }
        : {
            kind: 'Crashed',
            message: `the sandbox crashed (${message}); it was restarted and the variables of earlier cells are gone`,
          };
    } finally {
      this.running = null;
      options.signal?.removeEventListener('abort', onAbort);
    }
    if (!error && cell.importTried !== undefined) {
      error = {
        kind: 'NotAvailable',
        message: `import("${cell.importTried}") is not available: the sandbox loads no modules`,
      };
    }
    const result: CellResult = {
      output: cell.output,
      droppedChars: cell.dropped,
      ms: Math.round(cell.cpu),
    };
    if (error) result.error = error;
    if (cell.final !== undefined) result.final = cell.final;
    if (this.dead) this.disposeQuietly();
    return result;
  }

  /** Runs synchronous engine work, counting its time against the cell. */
  private timed<T>(cell: Running, work: () => T): T {
    cell.slice = now();
    try {
      return work();
    } finally {
      cell.cpu += now() - cell.slice;
      cell.slice = null;
    }
  }

  /** Runs a cell to the end of its promise; returns the error that stopped it, if any. */
  private async execute(code: string, cell: Running): Promise<SandboxError | undefined> {
    const { vm } = this;
    const transformed = transformCell(code);
    if (!transformed.ok) {
      if (transformed.moduleSyntax)
        return {
          kind: 'NotAvailable',
          message: 'import and export are not available: the sandbox loads no modules',
        };
      const where = transformed.line !== undefined ? ` (line ${transformed.line})` : '';
      return { kind: 'SyntaxError', message: `SyntaxError: ${transformed.message}${where}` };
    }
    // Always a script, never a module: the cell's variables must outlive it, as in a REPL.
    const evaluated = this.timed(cell, () => vm.evalCode(transformed.code, 'cell.js', { type: 'global' }));
    if (evaluated.error) {
      const error = this.classify(evaluated.error, cell, code);
      evaluated.error.dispose();
      return error;
    }
    const promise = evaluated.value;
    try {
      for (;;) {
        const jobsError = this.drainJobs(cell, code);
        if (jobsError) return jobsError;
        const state = vm.getPromiseState(promise);
        if (state.type === 'rejected') {
          const error = this.classify(state.error, cell, code);
          state.error.dispose();
          return error;
        }
        if (state.type === 'fulfilled') {
          try {
            this.show(cell, state.value);
          } finally {
            if (!state.notAPromise) state.value.dispose();
          }
          return undefined;
        }
        if (cell.stop) return { kind: 'Timeout', message: 'the cell was stopped because the run is over' };
        if (cell.pending.size === 0)
          return { kind: 'Thrown', message: 'the cell waits for something that never comes' };
        await Promise.race([...cell.pending].map((q) => q.settled));
        this.deliver(cell);
      }
    } finally {
      promise.dispose();
    }
  }

  /** Hands the answers that arrived to the promises waiting for them. */
  private deliver(cell: Running): void {
    for (const query of [...cell.pending]) {
      if (query.json === undefined) continue;
      cell.pending.delete(query);
      const answer = this.vm.newString(query.json);
      query.deferred.resolve(answer);
      answer.dispose();
    }
  }

  private async settleAll(cell: Running): Promise<void> {
    while (cell.pending.size > 0) {
      await Promise.all([...cell.pending].map((q) => q.settled));
      this.deliver(cell);
    }
  }

  /** Shows the value the cell ended with, as a REPL does (nothing for undefined). */
  private show(cell: Running, value: QuickJSHandle): void {
    const { vm } = this;
    if (vm.typeof(value) === 'undefined') return;
    const shown = vm.callFunction(this.api.format, vm.undefined, value);
    if (shown.error) shown.error.dispose();
    else {
      this.append(cell, `=> ${vm.getString(shown.value)}\n`);
      shown.value.dispose();
    }
  }

  private drainJobs(cell: Running, code: string): SandboxError | undefined {
    for (;;) {
      const jobs = this.timed(cell, () => this.runtime.executePendingJobs());
      if (jobs.error) {
        const error = this.classify(jobs.error, cell, code);
        jobs.error.dispose();
        return error;
      }
      if (jobs.value === 0) return undefined;
    }
  }

  private classify(handle: QuickJSHandle, cell: Running, _code: string): SandboxError {
    let dumped: unknown;
    try {
      dumped = this.vm.dump(handle);
    } catch {
      dumped = undefined;
    }
    const o = (typeof dumped === 'object' && dumped !== null ? dumped : {}) as {
      name?: unknown;
      message?: unknown;
      stack?: unknown;
    };
    const name = typeof o.name === 'string' ? o.name : '';
    const message = typeof o.message === 'string' ? o.message : dumped === null ? 'null' : String(dumped);
    if (cell.interrupted === 'memory') return this.overMemory();
    if (cell.interrupted === 'time' || (cell.interrupted && /interrupted/.test(message))) {
      return cell.interrupted === 'time'
        ? {
            kind: 'Timeout',
            message: `the cell ran for more than ${this.limits.cellMs.toLocaleString('en')} ms and was stopped`,
          }
        : { kind: 'Timeout', message: 'the cell was stopped because the run is over' };
    }
    if (/out of memory/i.test(message) || (dumped === null && this.nearMemoryLimit())) {
      return {
        kind: 'OutOfMemory',
        message: `the cell went over the sandbox's ${Math.round(this.limits.memoryBytes / 1024 / 1024)} MiB of memory and was stopped`,
      };
    }
    if (/stack overflow/i.test(message)) {
      return {
        kind: 'StackOverflow',
        message: 'the cell recursed too deeply (stack overflow) and was stopped',
      };
    }
    const line = lineOf(o.stack);
    const where = line !== undefined ? ` (line ${line})` : '';
    if (name === 'SyntaxError') return { kind: 'SyntaxError', message: `SyntaxError: ${message}${where}` };
    if (name === 'ReferenceError') {
      const missing = /^'?([A-Za-z_$][\w$]*)'? is not defined/.exec(message)?.[1];
      if (missing && HOST_NAMES.has(missing)) {
        return {
          kind: 'NotAvailable',
          message: `${missing} is not available in the sandbox: it has no network, no DOM and no host objects`,
        };
      }
    }
    return { kind: 'Thrown', message: `${name || 'Error'}: ${message}${where}` };
  }

  private nearMemoryLimit(): boolean {
    return this.heapFigure('malloc_size') > this.limits.memoryBytes * 0.9;
  }

  async readVariable(name: string): Promise<{ ok: true; value: string } | { ok: false; message: string }> {
    if (this.dead) return { ok: false, message: 'the sandbox is gone' };
    const { vm } = this;
    const arg = vm.newString(name);
    const got = vm.callFunction(this.api.readVariable, vm.undefined, arg);
    arg.dispose();
    if (got.error) {
      const dumped = vm.dump(got.error) as { name?: string; message?: string } | null;
      got.error.dispose();
      return { ok: false, message: `${dumped?.name ?? 'Error'}: ${dumped?.message ?? 'cannot read it'}` };
    }
    const shown = vm.callFunction(this.api.format, vm.undefined, got.value);
    got.value.dispose();
    if (shown.error) {
      shown.error.dispose();
      return { ok: false, message: `${name} cannot be shown as text` };
    }
    const value = vm.getString(shown.value);
    shown.value.dispose();
    return { ok: true, value };
  }

  private disposeQuietly(): void {
    try {
      this.api.format.dispose();
      this.api.readVariable.dispose();
      this.vm.dispose();
      this.runtime.dispose();
    } catch {
      // A crashed engine may not free cleanly; it is dropped either way.
    }
  }

  dispose(): void {
    if (this.dead) return;
    this.dead = true;
    this.disposeQuietly();
  }
}

function lineOf(stack: unknown): number | undefined {
  if (typeof stack !== 'string') return undefined;
  const m = /cell\.js:(\d+)/.exec(stack);
  return m ? Number(m[1]) : undefined;
}

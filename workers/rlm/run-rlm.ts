/**
 * An RLM run (docs/rlm.md): the root model writes JavaScript, the sandbox runs it over the document, and
 * what it prints goes back to the model, until a cell calls FINAL or a budget stops the run.
 *
 * Every model call, the root's and each `llm_query`, goes through one scheduler (concurrency, retries,
 * the leaf cache, budgets, the provider), as the leaves of a plan do, and every step is an event of the
 * same run log: `rlm.start`, then per iteration a call (`rlm.root`) with its leaf events, per code block a
 * child call (`rlm.cell`) with `cell.code` and `cell.output`, per `llm_query` a grandchild call
 * (`rlm.llm_query`) with its leaf events, and `run.done`.
 *
 * The run never throws for what the model or its code does: bad code is a cell error the model reads in
 * its next turn; a loop or an overspend ends the run with BudgetExceeded and says which budget.
 */
import {
  type ChatMessage,
  createScheduler,
  estimateTokenizer,
  type LeafCache,
  type LeafModel,
  type LeafRequest,
  type LeafScheduler,
  LOG_VERSION,
  loggedLeaf,
  type RlmRunSettings,
  RunError,
  type RunErrorKind,
  type RunTotals,
  requestTokens,
  type SchedulerBudgets,
  type SchedulerOptions,
  stripThink,
  summarizeValue,
  type Tokenizer,
  type TraceEvent,
  TraceWriter,
} from '../lang/index.ts';
import { documentShape, type PromptFacts, rootPrompt, type Turn } from './prompt.ts';
import { type ParsedReply, parseReply } from './reply.ts';
import {
  type CellResult,
  type LlmQueryAnswer,
  type Sandbox,
  type SandboxFactory,
  type SandboxLimits,
  sandboxLimits,
} from './sandbox.ts';

export interface RlmBudgets extends SchedulerBudgets {
  /** Root calls (replies of the model that writes the code). */
  maxIterations?: number;
  /** Code blocks run. */
  maxCells?: number;
}

export const RLM_DEFAULT_BUDGETS = {
  maxIterations: 12,
  maxCells: 24,
  maxCalls: 200,
  maxTokens: 1_000_000,
  maxWallMs: 10 * 60_000,
} as const;

export interface RlmOptions {
  /** The document: `context` inside the sandbox. */
  input: string;
  query: string;
  model: LeafModel;
  budgets?: RlmBudgets;
  /** Sandbox limits; the defaults where absent. */
  limits?: Partial<SandboxLimits>;
  signal?: AbortSignal;
  onEvent?: (event: TraceEvent) => void;
  /** Makes the sandbox: QuickJS in this thread by default (Node); the page passes a worker-backed one. */
  sandbox?: SandboxFactory;
  cache?: LeafCache | null;
  /** Retries, backoff, timeout and concurrency of the scheduler. */
  scheduler?: Omit<SchedulerOptions, 'signal' | 'cache' | 'budgets'>;
  /** Longest answers, in tokens: a root reply (default min(1024, window/4)), an llm_query answer (min(512, window/4)). */
  rootMaxTokens?: number;
  subMaxTokens?: number;
  /** Counts tokens for the window checks; the model's own, else the estimate. */
  tokenizer?: Tokenizer;
  runId?: string;
  now?: () => number;
  /** Streamed text is logged at most this often per call (0: every piece). */
  deltaIntervalMs?: number;
}

export interface RlmOutcome {
  runId: string;
  ok: boolean;
  /** The FINAL answer. */
  result?: string;
  error?: { kind: RunErrorKind; message: string };
  totals: RunTotals;
  iterations: number;
  cells: number;
}

const ROOT = 'rlm.root';
const CELL = 'rlm.cell';
const SUB = 'rlm.llm_query';

async function defaultSandbox(limits: SandboxLimits): Promise<Sandbox> {
  // Loaded only when an RLM run starts: the engine's WebAssembly is not part of anything else.
  const { createQuickJsSandbox } = await import('./quickjs-sandbox.ts');
  return createQuickJsSandbox(limits);
}

class RlmRun {
  private readonly writer: TraceWriter;
  private readonly scheduler: LeafScheduler;
  private readonly tokenizer: Tokenizer;
  private readonly limits: SandboxLimits;
  private readonly settings: RlmRunSettings;
  private readonly now: () => number;
  private readonly deltaIntervalMs: number;
  private readonly stopAt: number | undefined;
  private sandbox: Sandbox | null = null;
  private subCalls = 0;
  private cells = 0;
  private iterations = 0;

  constructor(private readonly options: RlmOptions) {
    this.now = options.now ?? (() => performance.now());
    const runId = options.runId ?? `rlm-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.writer = new TraceWriter(runId, options.onEvent ?? (() => {}), this.now);
    this.tokenizer = options.tokenizer ?? options.model.capabilities.tokenizer ?? estimateTokenizer;
    this.limits = sandboxLimits(options.limits);
    const window = Math.max(64, options.model.capabilities.contextWindow);
    const given = options.budgets ?? {};
    const budgets = {
      maxIterations: whole(given.maxIterations, RLM_DEFAULT_BUDGETS.maxIterations),
      maxCells: whole(given.maxCells, RLM_DEFAULT_BUDGETS.maxCells),
      maxCalls: whole(given.maxCalls, RLM_DEFAULT_BUDGETS.maxCalls),
      maxTokens: whole(given.maxTokens, RLM_DEFAULT_BUDGETS.maxTokens),
      maxWallMs: whole(given.maxWallMs, RLM_DEFAULT_BUDGETS.maxWallMs),
    };
    this.settings = {
      contextWindow: window,
      rootMaxTokens: whole(options.rootMaxTokens, Math.min(1024, Math.floor(window / 4))),
      subMaxTokens: whole(options.subMaxTokens, Math.min(512, Math.floor(window / 4))),
      limits: { ...this.limits },
      budgets,
    };
    this.deltaIntervalMs = Math.max(0, options.deltaIntervalMs ?? 100);
    this.stopAt = Date.now() + budgets.maxWallMs;
    this.scheduler = createScheduler(options.model, {
      ...options.scheduler,
      ...(options.signal ? { signal: options.signal } : {}),
      cache: options.cache ?? null,
      budgets: { maxCalls: budgets.maxCalls, maxTokens: budgets.maxTokens, maxWallMs: budgets.maxWallMs },
      now: this.now,
      // The scheduler's last guard counts as this loop trims: the same window and tokenizer.
      contextWindow: window,
      tokenizer: this.tokenizer,
    });
  }

  async execute(): Promise<RlmOutcome> {
    const { options } = this;
    this.writer.emit({
      type: 'rlm.start',
      startedAt: Date.now(),
      logVersion: LOG_VERSION,
      settings: this.settings,
      inputChars: options.input.length,
      query: options.query,
      model: options.model.id,
    });
    let result: string | undefined;
    let failure: RunError | undefined;
    try {
      result = await this.loop();
    } catch (e) {
      failure =
        e instanceof RunError
          ? e
          : new RunError('LeafFailed', `internal error: ${e instanceof Error ? e.message : String(e)}`);
      if (!this.scheduler.stopped)
        this.scheduler.stop(new RunError('Aborted', `stopped because of ${failure.kind}`));
    } finally {
      this.scheduler.close();
      this.sandbox?.dispose();
    }
    const s = this.scheduler.totals;
    const totals: RunTotals = {
      calls: this.writer.calls,
      leafCalls: this.writer.leafCalls,
      cachedCalls: this.writer.cachedCalls,
      promptTokens: s.promptTokens,
      completionTokens: s.completionTokens,
      ms: this.writer.elapsed(),
    };
    const counts = { iterations: this.iterations, cells: this.cells };
    if (failure) {
      const error = { kind: failure.kind, message: failure.message };
      this.writer.emit({ type: 'run.done', ok: false, error, totals });
      return { runId: this.writer.runId, ok: false, error, totals, ...counts };
    }
    this.writer.emit({ type: 'run.done', ok: true, result, totals });
    return {
      runId: this.writer.runId,
      ok: true,
      ...(result !== undefined ? { result } : {}),
      totals,
      ...counts,
    };
  }

  private checkRunning(): void {
    const stopped = this.scheduler.stopped;
    if (stopped) throw stopped;
    if (this.options.signal?.aborted) throw new RunError('Aborted', 'The run was aborted.');
  }

  private async freshSandbox(): Promise<Sandbox> {
    this.sandbox?.dispose();
    const make = this.options.sandbox ?? defaultSandbox;
    let sandbox: Sandbox | undefined;
    try {
      sandbox = await make(this.limits);
      await sandbox.load(this.options.input, this.options.query);
    } catch (e) {
      sandbox?.dispose();
      throw new RunError(
        'LeafFailed',
        `the sandbox could not start: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    this.sandbox = sandbox;
    return sandbox;
  }

  private facts(): PromptFacts {
    const { settings } = this;
    return {
      query: this.options.query,
      document: this.options.input,
      shape: documentShape(this.options.input, this.tokenizer),
      subPromptTokens: Math.max(1, settings.contextWindow - settings.subMaxTokens),
      outputChars: this.limits.outputChars,
      cellSeconds: Math.round(this.limits.cellMs / 100) / 10,
      maxIterations: settings.budgets.maxIterations,
    };
  }

  private async loop(): Promise<string> {
    const facts = this.facts();
    const { settings } = this;
    let sandbox = await this.freshSandbox();
    const turns: Turn[] = [];
    for (;;) {
      this.checkRunning();
      if (this.iterations >= settings.budgets.maxIterations) {
        throw new RunError(
          'BudgetExceeded',
          `Iteration budget of ${settings.budgets.maxIterations} root calls used up without a FINAL answer.`,
        );
      }
      this.iterations++;
      const budget = settings.contextWindow - settings.rootMaxTokens;
      const prompt = rootPrompt(facts, turns, budget, this.tokenizer);
      if (!prompt.fits) {
        throw new RunError(
          'PromptTooLarge',
          `Even shortened, the root prompt takes ${prompt.tokens} tokens and its answer ${settings.rootMaxTokens}, over the model's ${settings.contextWindow}-token window.`,
        );
      }
      const iteration = this.startCall(null, ROOT, `iteration ${this.iterations}`, 0);
      let step: { replyText: string; reply: ParsedReply; feedback: string[]; final: string | undefined };
      try {
        step = await this.iterate(iteration, prompt.messages, sandbox);
        sandbox = this.sandbox ?? sandbox;
      } catch (e) {
        // The iteration ends with the error that stopped the run (its cells ended already).
        this.callFailed(iteration, e);
        throw e;
      }
      const { replyText, reply, feedback, final } = step;
      const summary = [
        `${reply.blocks.length} code block${reply.blocks.length === 1 ? '' : 's'}`,
        ...(final !== undefined ? ['FINAL'] : []),
        ...(prompt.dropped.length > 0 ? [`to fit the window: ${prompt.dropped.join(', ')}`] : []),
      ].join('; ');
      this.writer.emit({ type: 'call.done', callId: iteration, summary });
      if (final !== undefined) return final;
      if (reply.blocks.length === 0) {
        feedback.push(
          reply.otherLanguages.length > 0
            ? `Only JavaScript runs here (your reply had a ${reply.otherLanguages[0] || 'non-JavaScript'} block). Write a \`\`\`js block.`
            : 'Your reply had no ```js code block and no FINAL(answer). Write code that works on `context`, or give FINAL(answer).',
        );
      }
      const left = settings.budgets.maxIterations - this.iterations;
      feedback.push(
        left > 0
          ? `Next: another code block, or FINAL(answer) once you have it (${left} repl${left === 1 ? 'y' : 'ies'} left).`
          : 'That was your last reply.',
      );
      turns.push({ reply: replyText, feedback: feedback.join('\n\n') });
    }
  }

  /** One root call and the cells of its reply; what the model reads next. */
  private async iterate(iteration: string, messages: ChatMessage[], current: Sandbox) {
    const { settings } = this;
    let sandbox = current;
    const response = await this.leaf(iteration, {
      messages,
      maxTokens: settings.rootMaxTokens,
      temperature: 0,
    });
    const replyText = stripThink(response.text);
    if (response.finishReason === 'length' && replyText === '') {
      throw new RunError(
        'LeafFailed',
        `the root model's reply was cut off at ${settings.rootMaxTokens} tokens before it wrote anything`,
      );
    }
    const reply = parseReply(replyText);
    const feedback: string[] = [];
    let final: string | undefined;
    for (const [i, code] of reply.blocks.entries()) {
      this.checkRunning();
      if (this.cells >= settings.budgets.maxCells) {
        throw new RunError(
          'BudgetExceeded',
          `Cell budget of ${settings.budgets.maxCells} code blocks used up without a FINAL answer.`,
        );
      }
      if (!sandbox.alive) sandbox = await this.freshSandbox();
      const ran = await this.runCell(iteration, code, sandbox);
      feedback.push(describeCell(ran, i, reply.blocks.length, sandbox.alive));
      if (ran.final !== undefined) {
        final = ran.final;
        break;
      }
    }
    this.checkRunning();
    if (final === undefined && reply.final) {
      if ('answer' in reply.final) final = reply.final.answer;
      else {
        if (!sandbox.alive) sandbox = await this.freshSandbox();
        const read = await sandbox.readVariable(reply.final.variable);
        if (read.ok) final = read.value;
        else feedback.push(`FINAL_VAR(${reply.final.variable}) failed: ${read.message}`);
      }
    }
    return { replyText, reply, feedback, final };
  }

  private async runCell(iteration: string, code: string, sandbox: Sandbox): Promise<CellResult> {
    this.cells++;
    const cell = this.startCall(iteration, CELL, `cell ${this.cells}`, 1);
    this.writer.emit({ type: 'cell.code', callId: cell, code });
    const ran = await sandbox.run(
      code,
      { llmQuery: (prompts) => this.llmQuery(cell, prompts) },
      {
        ...(this.stopAt !== undefined ? { stopAt: this.stopAt } : {}),
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      },
    );
    this.writer.emit({
      type: 'cell.output',
      callId: cell,
      output: ran.output,
      droppedChars: ran.droppedChars,
      ms: ran.ms,
      ...(ran.error ? { error: ran.error } : {}),
      ...(ran.final !== undefined ? { final: ran.final } : {}),
    });
    const summary = ran.error
      ? `${ran.error.kind}: ${ran.error.message}`
      : ran.final !== undefined
        ? `FINAL: ${oneLine(ran.final)}`
        : `printed ${ran.output.length + ran.droppedChars} characters`;
    this.writer.emit({ type: 'call.done', callId: cell, summary });
    return ran;
  }

  /** The sandbox's llm_query: each prompt a sub-call of the cell, all at once (the scheduler paces them). */
  private async llmQuery(
    cell: string,
    prompts: string[],
  ): Promise<{ answers: LlmQueryAnswer[]; stop: boolean }> {
    const answers = await Promise.all(prompts.map((p) => this.subCall(cell, p)));
    return { answers, stop: this.scheduler.stopped !== undefined || this.options.signal?.aborted === true };
  }

  private async subCall(cell: string, prompt: string): Promise<LlmQueryAnswer> {
    const stopped = this.scheduler.stopped;
    if (stopped)
      return {
        ok: false,
        kind: stopped.kind === 'BudgetExceeded' ? 'BudgetExceeded' : 'Aborted',
        message: stopped.message,
      };
    const { maxCalls } = this.settings.budgets;
    if (maxCalls !== undefined && this.subCalls >= maxCalls) {
      // Refused prompts cost no model call, but code asking again and again must not grow the log forever.
      const error = new RunError(
        'BudgetExceeded',
        `Call budget of ${maxCalls} model calls exceeded: the code called llm_query ${this.subCalls + 1} times.`,
      );
      this.scheduler.stop(error);
      return { ok: false, kind: 'BudgetExceeded', message: error.message };
    }
    this.subCalls++;
    const callId = this.startCall(cell, SUB, `llm_query ${this.subCalls}`, 2);
    const { settings } = this;
    const request: LeafRequest = {
      messages: [{ role: 'user', content: prompt }],
      maxTokens: settings.subMaxTokens,
      temperature: 0,
    };
    const tokens = requestTokens(request, this.tokenizer);
    if (tokens + request.maxTokens > settings.contextWindow) {
      const message = `the prompt is ${tokens.toLocaleString('en')} tokens and its answer may take ${request.maxTokens.toLocaleString('en')}, over the model's ${settings.contextWindow.toLocaleString('en')}-token window; it was not sent (send at most ${(settings.contextWindow - request.maxTokens).toLocaleString('en')} tokens)`;
      this.writer.emit({ type: 'call.error', callId, error: { kind: 'PromptTooLarge', message } });
      return { ok: false, kind: 'PromptTooLarge', message };
    }
    try {
      const response = await this.leaf(callId, request);
      if (response.finishReason === 'length') {
        const message = `the answer was cut off at the ${request.maxTokens}-token limit: ask for a shorter answer`;
        this.writer.emit({ type: 'call.error', callId, error: { kind: 'LeafFailed', message } });
        return { ok: false, kind: 'LlmQueryFailed', message };
      }
      const text = stripThink(response.text);
      // The answer is in leaf.done already; call.done repeats it only when short.
      this.writer.emit({
        type: 'call.done',
        callId,
        summary: summarizeValue(text),
        ...(text.length <= 4000 ? { value: text } : {}),
      });
      return { ok: true, text };
    } catch (e) {
      const error =
        e instanceof RunError ? e : new RunError('LeafFailed', e instanceof Error ? e.message : String(e));
      this.writer.emit({ type: 'call.error', callId, error: { kind: error.kind, message: error.message } });
      const kind =
        error.kind === 'BudgetExceeded' || error.kind === 'Aborted' || error.kind === 'PromptTooLarge'
          ? error.kind
          : error.kind === 'ProviderUnavailable'
            ? 'Aborted'
            : 'LlmQueryFailed';
      return { ok: false, kind, message: error.message };
    }
  }

  private startCall(parentId: string | null, nodeId: string, label: string, depth: number): string {
    const callId = this.writer.newCallId();
    this.writer.emit({ type: 'call.start', callId, parentId, depth, nodeId, span: null, label });
    return callId;
  }

  private callFailed(callId: string, e: unknown): void {
    const kind = e instanceof RunError ? e.kind : 'LeafFailed';
    const message = e instanceof Error ? e.message : String(e);
    this.writer.emit({ type: 'call.error', callId, error: { kind, message } });
  }

  private leaf(callId: string, request: LeafRequest) {
    return loggedLeaf(this.writer, this.scheduler, callId, request, {
      now: this.now,
      deltaIntervalMs: this.deltaIntervalMs,
    });
  }
}

function whole(v: number | undefined, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}

/** What the model reads about one cell in its next turn. */
function describeCell(ran: CellResult, index: number, of: number, alive: boolean): string {
  const head = of > 1 ? `Output of block ${index + 1}:` : 'Output:';
  const lines = [head, ran.output === '' ? '(nothing printed)' : ran.output.replace(/\n$/, '')];
  if (ran.droppedChars > 0)
    lines.push(`[… ${ran.droppedChars.toLocaleString('en')} more characters not shown]`);
  if (ran.error) lines.push(`Error (${ran.error.kind}): ${ran.error.message}`);
  if (!alive && ran.error?.kind !== 'Crashed' && ran.error?.kind !== 'StackOverflow')
    lines.push('The sandbox was restarted: variables from earlier blocks are gone.');
  return lines.join('\n');
}

/**
 * Runs an RLM over a document and resolves with its outcome; every event goes to `options.onEvent` as it
 * happens. Never rejects for what the model or its code does (that ends the run with `run.done` ok=false).
 */
export function runRlm(options: RlmOptions): Promise<RlmOutcome> {
  return new RlmRun(options).execute();
}

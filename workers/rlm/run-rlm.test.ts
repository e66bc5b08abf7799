import { describe, expect, it } from 'vitest';
import { rlmPolicyReply } from '../../test/rlm-policy/policy.ts';
import {
  type GroundTruth,
  parseTrace,
  sampleGenerators,
  serializeTrace,
  type TraceEvent,
} from '../lang/index.ts';
import { logViolations } from '../lang/testing/log-invariants.ts';
import { createScriptedModel, type ScriptedModel } from '../lang/testing/scripted-model.ts';
import { createQuickJsSandbox } from './quickjs-sandbox.ts';
import { type RlmOptions, runRlm } from './run-rlm.ts';
import type { Sandbox, SandboxFactory } from './sandbox.ts';

type Of<T extends TraceEvent['type']> = Extract<TraceEvent, { type: T }>;
const ofType = <T extends TraceEvent['type']>(events: TraceEvent[], type: T) =>
  events.filter((e): e is Of<T> => e.type === type);

async function rlm(
  options: Partial<Omit<RlmOptions, 'model'>> &
    Pick<RlmOptions, 'input' | 'query'> & { model?: ScriptedModel; truth?: GroundTruth },
) {
  const events: TraceEvent[] = [];
  const { truth, ...rest } = options;
  // The double knows the sample's ground truth (out of band) and answers a sub-call only from the piece it was given.
  const model = options.model ?? createScriptedModel({ contextWindow: 4096, ...(truth && { truth }) });
  const outcome = await runRlm({ model, deltaIntervalMs: 0, ...rest, onEvent: (e) => events.push(e) });
  // Whatever the model did, the log is sound: every call ends, after its children, and the totals add up.
  expect(logViolations(events)).toEqual([]);
  return { outcome, events, model };
}

const sniah = sampleGenerators.sniah!;

describe('runRlm with the scripted RLM policy', () => {
  it('chunks the document by the window it is told, asks each piece, and FINALs the answer', async () => {
    const sample = sniah.generate({ tokens: 12_000, seed: 7 });
    const { outcome, events, model } = await rlm({
      input: sample.text,
      query: sample.query as string,
      truth: sample.truth,
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.ok).toBe(true);
    expect(sniah.isCorrect(outcome.result, sample.expected)).toBe(true);
    expect(outcome.iterations).toBe(2);
    expect(outcome.cells).toBe(2);

    // The tree: iterations at the root, cells under them, llm_query sub-calls under the first cell.
    const starts = ofType(events, 'call.start');
    const byId = new Map(starts.map((s) => [s.callId, s]));
    const roots = starts.filter((s) => s.parentId === null);
    expect(roots.map((r) => [r.nodeId, r.label])).toEqual([
      ['rlm.root', 'iteration 1'],
      ['rlm.root', 'iteration 2'],
    ]);
    const cells = starts.filter((s) => s.nodeId === 'rlm.cell');
    expect(cells.map((c) => byId.get(c.parentId!)?.label)).toEqual(['iteration 1', 'iteration 2']);
    const subs = starts.filter((s) => s.nodeId === 'rlm.llm_query');
    expect(subs.length).toBeGreaterThan(2);
    expect(new Set(subs.map((s) => s.parentId))).toEqual(new Set([cells[0]!.callId]));
    expect(subs.every((s) => s.depth === 2)).toBe(true);

    // Every model call went through the one scheduler: the model saw the root prompts and every piece.
    expect(model.requests.length).toBe(2 + subs.length);
    // No prompt over the window (the double counts 4 characters a token, as the run does by default).
    for (const r of model.requests) {
      const tokens = r.messages.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0);
      expect(tokens + r.maxTokens).toBeLessThanOrEqual(4096);
    }
    // The whole document never reached the root model.
    for (const r of model.requests.slice(0, 1)) {
      expect(r.messages.map((m) => m.content).join('').length).toBeLessThan(sample.text.length);
    }
    // Code and output of each cell are in the log; the run ends with the answer.
    const code = ofType(events, 'cell.code');
    expect(code[0]!.code).toContain('llm_query_batched');
    const outputs = ofType(events, 'cell.output');
    expect(outputs[0]!.output).toContain('answers found');
    expect(outputs[1]!.final).toBe(sample.expected);
    const done = events.at(-1) as Of<'run.done'>;
    expect(done.type).toBe('run.done');
    expect(done.result).toBe(sample.expected);
    expect(done.totals.leafCalls).toBe(model.requests.length);
    expect(events[0]!.type).toBe('rlm.start');
  });

  it('the log reads back from JSON Lines as it was written', async () => {
    const sample = sniah.generate({ tokens: 6000, seed: 3 });
    const { events } = await rlm({ input: sample.text, query: sample.query as string, truth: sample.truth });
    const read = parseTrace(serializeTrace(events));
    expect(read.ok).toBe(true);
    if (read.ok) {
      expect(read.complete).toBe(true);
      expect(read.events).toEqual(events);
    }
  });

  it('an llm_query over the window throws PromptTooLarge inside the sandbox; the code catches it and goes on', async () => {
    const sample = sniah.generate({ tokens: 8000, seed: 11 });
    const { outcome, events } = await rlm({
      input: sample.text,
      query: `Ask for everything: ${sample.query}`,
      truth: sample.truth,
    });
    const errors = ofType(events, 'call.error');
    expect(errors[0]?.error.kind).toBe('PromptTooLarge');
    const first = ofType(events, 'cell.output')[0]!;
    expect(first.error).toBeUndefined();
    expect(first.output).toMatch(/^caught PromptTooLarge .*not sent/);
    // Refused before it was sent: no leaf.request for that call.
    expect(ofType(events, 'leaf.request').some((e) => e.callId === errors[0]!.callId)).toBe(false);
    expect(outcome.ok).toBe(true);
    expect(outcome.result).toBe(sample.expected);
  });

  it('a model that never gives FINAL is stopped by the iteration budget, with the reason', async () => {
    const { outcome, events } = await rlm({
      input: 'a short document',
      query: 'Never finish: what is in it?',
      budgets: { maxIterations: 3 },
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toEqual({
      kind: 'BudgetExceeded',
      message: 'Iteration budget of 3 root calls used up without a FINAL answer.',
    });
    expect(ofType(events, 'call.start').filter((s) => s.nodeId === 'rlm.root')).toHaveLength(3);
  });

  it.each([
    [{ maxCells: 2 }, 'Cell budget of 2 code blocks'],
    [{ maxCalls: 2 }, 'Call budget of 2'],
    [{ maxTokens: 1500 }, 'Token budget of 1500'],
  ])('budget %o stops a looping model', async (budgets, reason) => {
    const { outcome } = await rlm({
      input: 'a short document',
      query: 'Never finish: what is in it?',
      budgets,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.kind).toBe('BudgetExceeded');
    expect(outcome.error?.message).toContain(reason);
  });

  it('code that asks for oversize prompts in a loop, swallowing the errors, is stopped by the call budget', async () => {
    const { outcome, events } = await rlm({
      input: 'x'.repeat(20_000),
      query: 'Keep asking: what is in it?',
      budgets: { maxCalls: 30 },
      limits: { cellMs: 60_000 },
    });
    expect(outcome.error?.kind).toBe('BudgetExceeded');
    expect(outcome.error?.message).toContain('called llm_query 31 times');
    expect(ofType(events, 'call.start').filter((s) => s.nodeId === 'rlm.llm_query')).toHaveLength(30);
    expect(ofType(events, 'cell.output')[0]!.error?.kind).toBe('Timeout');
  });

  it('an endless loop in a cell is a Timeout the model reads; the run ends at its budget', async () => {
    const { outcome, events } = await rlm({
      input: 'a short document',
      query: 'Loop forever, then tell me what is in it.',
      budgets: { maxIterations: 2 },
      limits: { cellMs: 150 },
    });
    expect(outcome.error?.kind).toBe('BudgetExceeded');
    const outputs = ofType(events, 'cell.output');
    expect(outputs.map((o) => o.error?.kind)).toEqual(['Timeout', 'Timeout']);
    const second = ofType(events, 'leaf.request')[1]!;
    expect(second.messages.at(-1)!.content).toContain('Error (Timeout)');
  });

  it('keeps every root prompt within the window by leaving out old turns, and says so', async () => {
    const model = createScriptedModel({ contextWindow: 1200 });
    const { outcome, events } = await rlm({
      model,
      input: 'x'.repeat(5000),
      query: 'Never finish: what is in it?',
      budgets: { maxIterations: 10 },
    });
    expect(outcome.error?.kind).toBe('BudgetExceeded');
    const roots = model.requests.filter((r) => rlmPolicyReply(r.messages) !== undefined);
    expect(roots).toHaveLength(10);
    for (const r of roots) {
      const tokens = r.messages.reduce((n, m) => n + Math.ceil(m.content.length / 4) + 4, 0);
      expect(tokens + r.maxTokens).toBeLessThanOrEqual(1200);
    }
    const summaries = ofType(events, 'call.done').map((d) => d.summary);
    expect(summaries.some((s) => /to fit the window: \d+ earlier repl/.test(s))).toBe(true);
    expect(roots.at(-1)!.messages.some((m) => /left out to fit the window/.test(m.content))).toBe(true);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const model = createScriptedModel({ contextWindow: 4096, latencyMs: 20 });
    const run = rlm({
      model,
      input: 'a short document',
      query: 'Never finish: what is in it?',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 60);
    const { outcome } = await run;
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.kind).toBe('Aborted');
  });

  it('a sandbox that crashed is replaced for the next cell, and the model is told its variables are gone', async () => {
    const made: Sandbox[] = [];
    // TEST DOUBLE around the real sandbox: the first one crashes on its first cell.
    const factory: SandboxFactory = async (limits) => {
      const real = await createQuickJsSandbox(limits);
      const first = made.length === 0;
      let dead = false;
      const wrapped: Sandbox = {
        load: (c, q) => real.load(c, q),
        readVariable: (n) => real.readVariable(n),
        dispose: () => real.dispose(),
        get alive() {
          return !dead && real.alive;
        },
        run: async (code, host, options) => {
          if (!first) return real.run(code, host, options);
          dead = true;
          return {
            output: '',
            droppedChars: 0,
            ms: 1,
            error: { kind: 'Crashed', message: 'the engine failed' },
          };
        },
      };
      made.push(wrapped);
      return wrapped;
    };
    const sample = sniah.generate({ tokens: 6000, seed: 2 });
    const { outcome, events } = await rlm({
      input: sample.text,
      query: sample.query as string,
      truth: sample.truth,
      sandbox: factory,
    });
    expect(made).toHaveLength(2);
    expect(ofType(events, 'cell.output')[0]!.error?.kind).toBe('Crashed');
    expect(outcome.ok).toBe(true);
    expect(outcome.result).toBe(sample.expected);
  });

  it('a sandbox that cannot start ends the run with the reason', async () => {
    const { outcome } = await rlm({
      input: 'text',
      query: 'q?',
      sandbox: async () => {
        throw new Error('no WebAssembly here');
      },
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toEqual({
      kind: 'LeafFailed',
      message: 'the sandbox could not start: no WebAssembly here',
    });
  });
});

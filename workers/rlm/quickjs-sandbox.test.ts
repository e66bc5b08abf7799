import { afterEach, describe, expect, it } from 'vitest';
import { createQuickJsSandbox } from './quickjs-sandbox.ts';
import {
  type CellHost,
  DEFAULT_SANDBOX_LIMITS,
  type LlmQueryAnswer,
  type Sandbox,
  sandboxLimits,
} from './sandbox.ts';

const echo: CellHost = {
  async llmQuery(prompts) {
    return {
      answers: prompts.map((p): LlmQueryAnswer => ({ ok: true, text: `answer to ${p}` })),
      stop: false,
    };
  },
};

let sandbox: Sandbox | undefined;
afterEach(() => sandbox?.dispose());

async function make(limits = {}) {
  sandbox = await createQuickJsSandbox(sandboxLimits({ ...limits }));
  await sandbox.load('line one\nline two\n', 'what is it?');
  return sandbox;
}

describe('QuickJS sandbox', () => {
  it('runs code over the context, keeps variables between cells, and prints', async () => {
    const s = await make();
    const a = await s.run(
      'const lines = context.split("\\n").filter(Boolean); print(lines.length, lines)',
      echo,
    );
    expect(a.error).toBeUndefined();
    expect(a.output).toBe('2 ["line one","line two"]\n');
    const b = await s.run('print(lines[1].toUpperCase(), query)', echo);
    expect(b.output).toBe('LINE TWO what is it?\n');
  });

  it('shows the value of the last expression, as a REPL does', async () => {
    const s = await make();
    expect((await s.run('context.length', echo)).output).toBe('=> 18\n');
    expect((await s.run('let n = 1', echo)).output).toBe('');
  });

  it('top-level await: llm_query answers come from the host; batched and Promise.all keep order', async () => {
    const s = await make();
    const r = await s.run(
      'print(await llm_query("a")); print((await llm_query_batched(["b", "c"])).join("|")); print((await Promise.all(["d", "e"].map((p) => llm_query(p)))).join("|"))',
      echo,
    );
    expect(r.error).toBeUndefined();
    expect(r.output).toBe('answer to a\nanswer to b|answer to c\nanswer to d|answer to e\n');
  });

  it('an llm_query error is thrown inside the sandbox with its kind, and the code can catch it', async () => {
    const s = await make();
    const host: CellHost = {
      async llmQuery(prompts) {
        return {
          answers: prompts.map(
            (): LlmQueryAnswer => ({ ok: false, kind: 'PromptTooLarge', message: 'too big' }),
          ),
          stop: false,
        };
      },
    };
    const caught = await s.run(
      'try { await llm_query(context) } catch (e) { print(e.name, e instanceof PromptTooLarge, e.message) }',
      host,
    );
    expect(caught.error).toBeUndefined();
    expect(caught.output).toBe('PromptTooLarge true too big\n');
    const uncaught = await s.run('const r = await llm_query(context)', host);
    expect(uncaught.error?.kind).toBe('Thrown');
    expect(uncaught.error?.message).toMatch(/^PromptTooLarge: too big/);
  });

  it('FINAL and FINAL_VAR give the answer as text; FINAL_VAR reads top-level let and const', async () => {
    const s = await make();
    expect((await s.run('FINAL("forty-two")', echo)).final).toBe('forty-two');
    expect((await s.run('const answer = { n: 42 }; FINAL_VAR("answer")', echo)).final).toBe('{"n":42}');
    expect(await s.readVariable('answer')).toEqual({ ok: true, value: '{"n":42}' });
    expect((await s.readVariable('nothing')).ok).toBe(false);
    const bad = await s.run('FINAL_VAR("missing")', echo);
    expect(bad.error?.kind).toBe('Thrown');
    expect(bad.final).toBeUndefined();
  });

  it.each([
    ['fetch("http://example.com")', 'fetch'],
    ['require("fs")', 'require'],
    ['process.exit(1)', 'process'],
    ['document.body', 'document'],
    ['new XMLHttpRequest()', 'XMLHttpRequest'],
  ])('%s is NotAvailable', async (code, name) => {
    const s = await make();
    const r = await s.run(code, echo);
    expect(r.error?.kind).toBe('NotAvailable');
    expect(r.error?.message).toContain(name);
  });

  it('import, static or dynamic, is NotAvailable', async () => {
    const s = await make();
    expect((await s.run('import fs from "fs"; print(fs)', echo)).error?.kind).toBe('NotAvailable');
    const dynamic = await s.run('import("os").then((m) => print(m)); print("went on")', echo);
    expect(dynamic.error?.kind).toBe('NotAvailable');
    expect(dynamic.error?.message).toContain('os');
  });

  it('an infinite loop is stopped at the cell time limit, and the sandbox still works', async () => {
    const s = await make({ cellMs: 200 });
    const r = await s.run('let i = 0; while (true) { i++ }', echo);
    expect(r.error?.kind).toBe('Timeout');
    expect((await s.run('print(i > 0)', echo)).output).toBe('true\n');
  });

  it('waiting for llm_query does not count against the cell time', async () => {
    const s = await make({ cellMs: 300 });
    const slow: CellHost = {
      async llmQuery(prompts) {
        await new Promise((r) => setTimeout(r, 400));
        return echo.llmQuery(prompts);
      },
    };
    const r = await s.run('print(await llm_query("x")); print(await llm_query("y"))', slow);
    expect(r.error).toBeUndefined();
  });

  it('a host that says the run is over stops a cell that catches everything', async () => {
    const s = await make({ cellMs: 60_000 });
    const over: CellHost = {
      async llmQuery(prompts) {
        return {
          answers: prompts.map(
            (): LlmQueryAnswer => ({ ok: false, kind: 'BudgetExceeded', message: 'no more' }),
          ),
          stop: true,
        };
      },
    };
    const r = await s.run('while (true) { try { await llm_query("again") } catch (e) {} }', over);
    expect(r.error).toEqual({ kind: 'Timeout', message: 'the cell was stopped because the run is over' });
  });

  it('deep recursion is a StackOverflow', async () => {
    const s = await make();
    const ok = await s.run('function g(n) { return n === 0 ? 0 : g(n - 1) + 1 } g(300)', echo);
    expect(ok.error?.message ?? 'none').toBe('none');
    expect(ok.output).toBe('=> 300\n');
    const r = await s.run('function f(n) { return f(n + 1) + 1 } f(0)', echo);
    expect(r.error?.kind).toBe('StackOverflow');
    expect((await s.run('print("alive")', echo)).output).toBe('alive\n');
  });

  it('deeply nested data in built-ins (JSON.parse, String of nested arrays) is a StackOverflow, not a crash', async () => {
    const s = await make();
    const parsed = await s.run('JSON.parse("[".repeat(200000) + "]".repeat(200000))', echo);
    expect(parsed.error?.kind).toBe('StackOverflow');
    const shown = await s.run('let d = []; for (let i = 0; i < 100000; i++) d = [d]; String(d).length', echo);
    expect(shown.error?.kind).toBe('StackOverflow');
    expect(s.alive).toBe(true);
    expect((await s.run('print("alive")', echo)).output).toBe('alive\n');
  });

  it('a huge allocation is OutOfMemory', async () => {
    const s = await make({ memoryBytes: 32 * 1024 * 1024, cellMs: 60_000 });
    const big = await s.run('const s = "x".repeat(64 * 1024 * 1024); print(s.length)', echo);
    expect(big.error?.kind).toBe('OutOfMemory');
    expect((await s.run('new ArrayBuffer(1 << 30).byteLength', echo)).error?.kind).toBe('OutOfMemory');
    expect((await s.run('print("alive")', echo)).output).toBe('alive\n');
  });

  it('many allocations each under the limit that add up past it are OutOfMemory, and the sandbox is given up', async () => {
    // QuickJS's own limit sees one allocation at a time; strings and typed arrays add up unseen by it.
    for (const code of [
      // A long loop: the interrupt handler sees it mid-cell.
      'const many = []; for (let i = 0; i < 200000; i++) many.push("z".repeat(1000) + i); print(many.length)',
      // A short one: it ends before the handler looks, and is seen when the cell ends.
      'const kept = []; for (let i = 0; i < 400; i++) kept.push("y".repeat(1e6 + i)); print(kept.length)',
      'const bufs = []; for (let i = 0; i < 400; i++) bufs.push(new Uint8Array(1e6)); print(bufs.length)',
    ]) {
      const s = await make({ memoryBytes: 32 * 1024 * 1024, cellMs: 60_000 });
      const ran = await s.run(code, echo);
      expect(ran.error?.kind).toBe('OutOfMemory');
      expect(s.alive).toBe(false);
      expect((await s.run('print(1)', echo)).error?.kind).toBe('Crashed');
    }
  });

  it('keeps at most outputChars of printed text and counts the rest', async () => {
    const s = await make({ outputChars: 100 });
    const r = await s.run('for (let i = 0; i < 50; i++) print("0123456789")', echo);
    expect(r.output.length).toBe(100);
    expect(r.droppedChars).toBe(50 * 11 - 100);
  });

  it('a syntax error says where', async () => {
    const s = await make();
    const r = await s.run('print(1)\nprint((', echo);
    expect(r.error?.kind).toBe('SyntaxError');
    expect(r.error?.message).toContain('line 2');
  });

  it('cells may declare a name again, and functions and classes outlive their cell', async () => {
    const s = await make();
    await s.run(
      'const x = 1; function twice(n) { return 2 * n } class Box { constructor(v) { this.v = v } }',
      echo,
    );
    const r = await s.run('const x = 2; print(twice(x), new Box(3).v)', echo);
    expect(r.error).toBeUndefined();
    expect(r.output).toBe('4 3\n');
  });

  it('a forgotten await shows up in print, and FINAL waits for the promise', async () => {
    const s = await make();
    const r = await s.run('const a = llm_query("p"); print(a); FINAL(a)', echo);
    expect(r.output).toContain('write await llm_query');
    expect(r.final).toBe('answer to p');
  });

  it('code cannot reach the host functions behind the prelude', async () => {
    const s = await make();
    const r = await s.run(
      'print(typeof rawQuery, typeof rawPrint, typeof rawFinal, Object.getOwnPropertyNames(globalThis).filter(n => /raw/i.test(n)).length)',
      echo,
    );
    expect(r.output).toBe('undefined undefined undefined 0\n');
  });

  it('an async function at the end of a cell is waited for', async () => {
    const s = await make();
    const r = await s.run('(async () => { print(await llm_query("a")); return 7 })()', echo);
    expect(r.error).toBeUndefined();
    expect(r.output).toBe('answer to a\n=> 7\n');
  });

  it('clamps limits it is given', () => {
    expect(sandboxLimits({ cellMs: -5, memoryBytes: 1e15 })).toMatchObject({
      cellMs: 10,
      memoryBytes: 1024 * 1024 * 1024,
      stackBytes: DEFAULT_SANDBOX_LIMITS.stackBytes,
    });
  });
});

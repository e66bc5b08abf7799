/**
 * The JavaScript the sandbox runs before any cell: it defines what model-written code may call. It is
 * given the host's raw functions as arguments and keeps them in a closure, so no cell can reach them or
 * replace them for the others; only the wrappers below are put on the global object.
 *
 * The host's raw functions:
 * - `rawQuery(json)` → a promise of json: a list of prompts in, a list of
 *   `{ ok, text } | { ok: false, kind, message }` out (the host asks the model, all prompts at once);
 * - `rawPrint(text)`, `rawFinal(text)`.
 */

export const PRELUDE = `(function (rawQuery, rawPrint, rawFinal) {
  'use strict';
  const format = (v) => {
    if (typeof v === 'string') return v;
    if (v === undefined) return 'undefined';
    if (v instanceof Promise) return 'Promise { <pending> } (llm_query returns a promise: write await llm_query(...))';
    if (typeof v === 'function') return '[function ' + (v.name || 'anonymous') + ']';
    if (typeof v === 'bigint') return String(v) + 'n';
    if (v instanceof Error) return v.name + ': ' + v.message;
    try {
      const s = JSON.stringify(v, (k, x) =>
        typeof x === 'bigint' ? String(x) : x instanceof Set ? [...x] : x instanceof Map ? Object.fromEntries(x) : x,
      );
      return s === undefined ? String(v) : s;
    } catch (e) {
      return String(v);
    }
  };
  const define = (name, value) =>
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  const errorClass = (name) => {
    const C = class extends Error {
      constructor(message) {
        super(message);
        this.name = name;
      }
    };
    define(name, C);
    return C;
  };
  const kinds = {
    PromptTooLarge: errorClass('PromptTooLarge'),
    LlmQueryFailed: errorClass('LlmQueryFailed'),
    BudgetExceeded: errorClass('BudgetExceeded'),
    Aborted: errorClass('Aborted'),
  };
  const ask = async (prompts) => {
    const answers = JSON.parse(await rawQuery(JSON.stringify(prompts.map((p) => format(p)))));
    return answers.map((a) => (a.ok ? a.text : new kinds[a.kind](a.message)));
  };
  define('print', (...args) => {
    rawPrint(args.map(format).join(' ') + '\\n');
  });
  define('console', Object.freeze({ log: globalThis.print, info: globalThis.print, warn: globalThis.print, error: globalThis.print }));
  define('llm_query', async (...args) => {
    if (args.length === 0) throw new TypeError('llm_query(prompt) needs a prompt');
    const [answer] = await ask([args[0]]);
    if (answer instanceof Error) throw answer;
    return answer;
  });
  define('llm_query_batched', async (prompts) => {
    if (!Array.isArray(prompts)) throw new TypeError('llm_query_batched(prompts) needs an array of prompts');
    if (prompts.length === 0) return [];
    const answers = await ask(prompts);
    const failed = answers.findIndex((a) => a instanceof Error);
    if (failed >= 0) {
      const e = answers[failed];
      e.index = failed;
      e.message = 'prompt ' + failed + ': ' + e.message;
      throw e;
    }
    return answers;
  });
  const readVariable = (name) => {
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) throw new TypeError('FINAL_VAR(name) needs a variable name, got ' + JSON.stringify(name));
    // Indirect eval reads the global scope, where the variables of earlier cells live.
    return (0, eval)(name);
  };
  const final = (value) => {
    // A forgotten await: the answer is what the promise gives.
    if (value instanceof Promise) return value.then((v) => rawFinal(format(v)));
    rawFinal(format(value));
  };
  define('FINAL', (answer) => final(answer));
  define('FINAL_VAR', (name) => final(typeof name === 'string' ? readVariable(name) : name));
  return { format, readVariable };
})`;

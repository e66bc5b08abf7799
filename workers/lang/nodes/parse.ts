import { Bool, Counts, Int, Json, List, Str, type Type } from '../check/types.ts';
import { MESSAGE_OVERHEAD } from '../plan/tokenizer.ts';
import { RunError } from '../run/errors.ts';
import type { LeafRequest } from '../run/provider.ts';
import { stripThink } from '../run/think.ts';
import type { Bound, NodeSpec, ParamProblem, Params, Value } from './node-spec.ts';
import { strictBool, strictCounts, strictInt, strictJson, strictLines, strictList } from './parse-strict.ts';
import {
  parseBool,
  parseCounts,
  parseInt_,
  parseJson,
  parseList,
  schemaShapeProblem,
} from './parse-value.ts';

export const PARSE_TARGETS = ['counts', 'list', 'lines', 'int', 'bool', 'json'] as const;

export function parseType(as: unknown): Type {
  switch (as) {
    case 'counts':
      return Counts;
    case 'list':
    case 'lines':
      return List(Str);
    case 'int':
      return Int;
    case 'bool':
      return Bool;
    default:
      return Json;
  }
}

/** Reads the value: strictly (the answer is the value and nothing else), or tolerantly as format 1 did. */
export function parseAs(text: string, params: Params): Value {
  const max = Number(params.maxItems) || 200;
  if (params.strict === false) {
    switch (params.as) {
      case 'counts':
        return parseCounts(text);
      case 'int':
        return parseInt_(text);
      case 'bool':
        return parseBool(text);
      case 'json':
        return parseJson(text, params.schema);
      default:
        return parseList(text, max);
    }
  }
  switch (params.as) {
    case 'counts':
      return strictCounts(text);
    case 'lines':
      return strictLines(text, max);
    case 'int':
      return strictInt(text);
    case 'bool':
      return strictBool(text);
    case 'json':
      return strictJson(text, params.schema);
    default:
      return strictList(text, max);
  }
}

/** What the repair call asks for, by target, and the JSON schema a server with structured output can hold it to. */
function wanted(params: Params): { words: string; schema?: unknown } {
  switch (params.as) {
    case 'counts':
      return {
        words: 'a JSON object of whole numbers by label, e.g. {"label": 3}',
        schema: { type: 'object', additionalProperties: { type: 'integer' } },
      };
    case 'lines':
      return { words: 'one item per line, each line one item' };
    case 'int':
      return { words: 'a whole number, digits only', schema: { type: 'integer' } };
    case 'bool':
      return { words: 'yes or no', schema: { type: 'boolean' } };
    case 'json':
      return params.schema !== null && params.schema !== undefined
        ? {
            words: `JSON following this JSON schema: ${JSON.stringify(params.schema)}`,
            schema: params.schema,
          }
        : { words: 'JSON' };
    default:
      return {
        words: 'a JSON array of strings, e.g. ["a", "b"]',
        schema: { type: 'array', items: { type: 'string' } },
      };
  }
}

/** The one repair call's prompt text around the answer (its size is counted by the planner). */
const REPAIR_PROMPT = (words: string) =>
  `Rewrite the answer below as ${words}. Keep its content; reply with only that, nothing before or after it.\n\nAnswer:\n`;

/** The repair call: the model is asked to reformat its own answer, nothing more. */
export function repairRequest(answer: string, params: Params, answerTokens: number): LeafRequest {
  const w = wanted(params);
  const request: LeafRequest = {
    messages: [{ role: 'user', content: `${REPAIR_PROMPT(w.words)}${answer}` }],
    maxTokens: repairAnswerTokens(answerTokens),
    temperature: 0,
  };
  if (w.schema !== undefined) request.jsonSchema = w.schema;
  return request;
}

/** Room for the reformatted answer: quoting and brackets make it somewhat longer than the original. */
const repairAnswerTokens = (answerTokens: number) => Math.max(64, Math.ceil(answerTokens * 1.5) + 32);

export const parseSpec: NodeSpec = {
  kind: 'Parse',
  group: 'symbolic',
  title: 'Parse',
  description: "Reads a typed value (counts, list, number, yes/no, JSON) out of a model's answer.",
  params: [
    {
      name: 'as',
      label: 'Parse as',
      kind: 'enum',
      options: PARSE_TARGETS,
      default: 'list',
      description:
        'counts: Counts (a JSON object of whole numbers); list: List<Str> (a JSON array); lines: List<Str>, one item per line; int: Int; bool: Bool (yes/no, true/false); json: Json (optionally with a schema).',
    },
    {
      name: 'maxItems',
      label: 'Max items',
      kind: 'int',
      default: 200,
      min: 1,
      max: 100_000,
      description: 'A longer list is an error (this also bounds the calls the planner predicts downstream).',
      visible: (p) => p.as === 'list' || p.as === 'lines',
    },
    {
      name: 'schema',
      label: 'JSON schema',
      kind: 'json',
      default: null,
      description: 'Optional schema the value must follow (type, properties, required, items, enum).',
      visible: (p) => p.as === 'json',
    },
    {
      name: 'strict',
      label: 'Strict',
      kind: 'boolean',
      default: true,
      description:
        'The answer must be the value and nothing else (white space, <think> blocks and one code fence aside). Off: the tolerant reading of plan format 1, which looks for a value amid prose (it can mistake prose for one).',
    },
    {
      name: 'repair',
      label: 'Repair call',
      kind: 'boolean',
      default: true,
      description:
        'When the answer does not read strictly, ask the model once to reformat its own answer (one more call, counted by the planner), then fail with ParseFailed if that does not read either. The tolerant reading (strict off) never asks.',
    },
  ],
  ports: (node) => ({
    inputs: [{ name: 'text', type: Str, label: 'text' }],
    outputs: [{ name: 'value', type: parseType(node.params.as ?? 'list'), label: 'value' }],
  }),
  validate: (params: Params): ParamProblem[] => {
    const problem = params.as === 'json' ? schemaShapeProblem(params.schema) : null;
    return problem ? [{ param: 'schema', message: problem }] : [];
  },
  // What the planner may run before the run: the reading itself, without the repair call.
  compute: (inputs, params, ctx) => {
    try {
      return { value: parseAs(String(inputs.text ?? ''), params) };
    } catch (e) {
      if (e instanceof RunError) throw new RunError(e.kind, e.message, ctx.nodeId);
      throw e;
    }
  },
  evaluate: async (inputs, params, ctx) => {
    const text = String(inputs.text ?? '');
    try {
      return { value: parseAs(text, params) };
    } catch (e) {
      if (!(e instanceof RunError)) throw e;
      // The tolerant reading of format 1 is kept whole: it never asked for a repair.
      if (params.repair === false || params.strict === false)
        throw new RunError(e.kind, e.message, ctx.nodeId);
      const answer = stripThink(text).trim();
      const reply = await ctx.leaf(repairRequest(answer, params, ctx.tokenizer.count(answer)), {
        label: 'repair',
      });
      if (reply.finishReason === 'length')
        throw new RunError('ParseFailed', `${e.message}; the repair call's answer was cut off`, ctx.nodeId);
      try {
        return { value: parseAs(reply.text, { ...params, strict: true }) };
      } catch (again) {
        if (!(again instanceof RunError)) throw again;
        throw new RunError('ParseFailed', `${again.message} (after one repair call)`, ctx.nodeId);
      }
    }
  },
  // A number, a tally, a JSON array or other JSON written back out (compactly) is no longer than the text
  // it was read from: the answer, or the repair call's answer when there is one. Lines written as a JSON
  // array gain a pair of quotes and a comma each. A list's `tokens` is that writing, which is how a list
  // sits in a prompt, so a call that reads a parsed list (or a union of them) is bounded.
  bound: (inputs, params) => {
    const read = inputs.text?.bound.tokens ?? Infinity;
    // The tolerant reading (strict off) never asks for a repair, like repair off.
    const repairs = params.repair !== false && params.strict !== false;
    const tokens = repairs ? Math.max(read, repairAnswerTokens(read)) : read;
    if (params.as !== 'list' && params.as !== 'lines') return { value: { ...unknownBound, tokens } };
    const maxItems = Number(params.maxItems);
    const written = params.as === 'lines' ? tokens + 2 * maxItems + 2 : tokens;
    const expected = inputs.text?.bound.expected;
    return {
      value: {
        size: maxItems,
        chars: Infinity,
        tokens: written,
        ...(expected !== undefined && { expected: Math.min(written, expected) }),
        item: { ...unknownBound, tokens },
      },
    };
  },
  // The repair call, when the planner cannot tell the answer will read (it is a model's answer): one at
  // most, not expected.
  calls: (inputs, params, ctx) => {
    if (params.repair === false || params.strict === false) return [];
    const answer = inputs.text;
    const answerTokens =
      answer?.value !== undefined
        ? ctx.tokenizer.count(String(answer.value))
        : (answer?.bound.tokens ?? Infinity);
    const fixed = ctx.tokenizer.count(REPAIR_PROMPT(wanted(params).words)) + MESSAGE_OVERHEAD;
    return [
      {
        part: 'repair',
        promptTokens: fixed + answerTokens,
        completionTokens: repairAnswerTokens(answerTokens),
        expected: { calls: 0, promptTokens: 0, completionTokens: 0 },
      },
    ];
  },
  term: (node, t) => `parse${node.params.as !== undefined ? `[${String(node.params.as)}]` : ''}${t.args}`,
};

const unknownBound: Bound = { size: Infinity, chars: Infinity, tokens: Infinity, item: null };

import { Str, Var } from '../check/types.ts';
import { MESSAGE_OVERHEAD, requestTokens } from '../plan/tokenizer.ts';
import { RunError } from '../run/errors.ts';
import type { ChatMessage, LeafRequest } from '../run/provider.ts';
import { stripThink } from '../run/think.ts';
import { ABSENT, DEFAULT_SENTINEL, isSentinelReply, sentinelKey } from './absent.ts';
import type {
  EvalContext,
  NodeProblem,
  NodeSpec,
  ParamProblem,
  Params,
  PortSpec,
  Value,
} from './node-spec.ts';
import { schemaShapeProblem } from './parse-value.ts';
import { namedInputs, parseTemplate, renderTemplate } from './template.ts';

export const DEFAULT_TEMPLATE =
  'Answer the question using only the text below. If the text does not hold the answer, reply NOT_FOUND and nothing else.\n\nQuestion: {{query}}\n\nText:\n{{chunk}}';

/** The only neural node: one model call on a bounded prompt. */
export const llmSpec: NodeSpec = {
  kind: 'LLM',
  group: 'neural',
  title: 'LLM',
  description: 'One model call: a prompt template over {{chunk}}, {{query}} and named inputs.',
  params: [
    {
      name: 'template',
      label: 'Prompt',
      kind: 'template',
      default: DEFAULT_TEMPLATE,
      description: '{{chunk}} is the text input, {{query}} the question, any other {{name}} adds an input.',
    },
    {
      name: 'system',
      label: 'System prompt',
      kind: 'text',
      default: '',
      description: 'Optional system message.',
    },
    {
      name: 'maxTokens',
      label: 'Max tokens',
      kind: 'int',
      default: 256,
      min: 1,
      max: 100_000,
      description: 'Longest answer; an answer cut at this length is an error.',
    },
    {
      name: 'temperature',
      label: 'Temperature',
      kind: 'number',
      default: 0,
      min: 0,
      max: 2,
      description: '0 is deterministic (and cacheable).',
    },
    {
      name: 'notFound',
      label: 'No-answer reply',
      kind: 'string',
      default: DEFAULT_SENTINEL,
      description:
        'The reply that means "no answer here" (compared without case, spaces, underscores or punctuation: NOT FOUND and not_found. are the same). It becomes an absent value, which Reduce and Concat skip. Empty: the node has none, every reply is text.',
    },
    {
      name: 'jsonSchema',
      label: 'JSON schema',
      kind: 'json',
      default: null,
      description: 'Optional: ask the model for JSON following this schema (where the provider can).',
    },
  ],
  ports: (node) => {
    const template = typeof node.params.template === 'string' ? node.params.template : DEFAULT_TEMPLATE;
    const inputs: PortSpec[] = [];
    if (parseTemplate(template).variables.includes('chunk'))
      inputs.push({ name: 'chunk', type: Str, label: 'chunk' });
    // Named inputs accept any type: non-text values are written into the prompt as JSON.
    for (const name of namedInputs(template))
      inputs.push({ name, type: Var(`T_${name}`), label: name, fromTemplate: true });
    return { inputs, outputs: [{ name: 'text', type: Str, label: 'answer' }] };
  },
  validate: (params: Params): ParamProblem[] => {
    const problems = parseTemplate(String(params.template)).problems.map((message) => ({
      param: 'template',
      message,
    }));
    const schema = schemaShapeProblem(params.jsonSchema);
    if (schema) problems.push({ param: 'jsonSchema', message: schema });
    return problems;
  },
  evaluate: async (inputs, params, ctx) => ({ text: await callLeaf(inputs, params, ctx) }),
  bound: (_inputs, params) => ({
    text: {
      size: 1,
      chars: Infinity,
      tokens: Number(params.maxTokens),
      expected: expectedAnswerTokens(Number(params.maxTokens)),
      item: null,
    },
  }),
  check: (ctx) => {
    const problems: NodeProblem[] = [];
    const sentinel = String(ctx.params.notFound ?? '');
    // Fixpoint adds nothing to the user's prompt: a sentinel the prompt never asks for is never replied.
    if (
      sentinelKey(sentinel) !== '' &&
      !sentinelKey(String(ctx.params.template)).includes(sentinelKey(sentinel))
    )
      problems.push({
        code: 'sentinel',
        severity: 'warning',
        param: 'notFound',
        message: `${ctx.name(ctx.node.id)} treats the reply "${sentinel}" as "no answer here", but its prompt never tells the model to reply it: add it to the prompt (e.g. "If the text does not hold the answer, reply ${sentinel}"), or clear "No-answer reply"`,
      });
    if (ctx.window === undefined) return problems;
    const shape = llmSpec.leafShape?.(ctx.params, ctx.tokenizer);
    if (!shape || shape.fixedTokens + shape.answerTokens < ctx.window) return problems;
    return [
      ...problems,
      {
        code: 'leaf-window',
        param: 'template',
        message: `${ctx.name(ctx.node.id)}: its prompt (${shape.fixedTokens.toLocaleString('en')} tokens before any input) and its answer (Max tokens ${shape.answerTokens.toLocaleString('en')}) do not fit the model's ${ctx.window.toLocaleString('en')}-token window. Shorten the prompt, lower Max tokens, or use a model with a larger window`,
      },
    ];
  },
  leafShape: (params, tokenizer) => {
    const t = parseTemplate(String(params.template));
    return {
      fixedTokens:
        tokenizer.count(t.fixedText) + tokenizer.count(String(params.system ?? '')) + 2 * MESSAGE_OVERHEAD,
      usesQuery: t.variables.includes('query'),
      answerTokens: Number(params.maxTokens) || 0,
      readsPiece: t.variables.includes('chunk'),
    };
  },
  calls: (inputs, params, ctx) => {
    const completionTokens = Number(params.maxTokens);
    const answer = expectedAnswerTokens(completionTokens);
    const known: Record<string, Value> = {};
    for (const [port, v] of Object.entries(inputs)) if (v.value !== undefined) known[port] = v.value;
    if (Object.keys(known).length === Object.keys(inputs).length) {
      const promptTokens = requestTokens(leafRequest(known, params, ctx.query), ctx.tokenizer);
      return [
        { promptTokens, completionTokens, expected: { calls: 1, promptTokens, completionTokens: answer } },
      ];
    }
    // Some input is known only by its bounds (a model's answer): the fixed parts plus those bounds (and,
    // for what to expect, those answers at their expected size).
    const template = parseTemplate(String(params.template));
    const fixed =
      ctx.tokenizer.count(template.fixedText) +
      ctx.tokenizer.count(String(params.system ?? '')) +
      2 * MESSAGE_OVERHEAD +
      (template.variables.includes('query') ? ctx.queryTokens : 0);
    let prompt = fixed;
    let expected = fixed;
    for (const v of template.variables) {
      if (v === 'query') continue;
      const input = inputs[v];
      if (!input) continue;
      const n = input.value !== undefined ? ctx.tokenizer.count(promptText(input.value)) : undefined;
      prompt += n ?? input.bound.tokens;
      expected += n ?? input.bound.expected ?? input.bound.tokens;
    }
    return [
      {
        promptTokens: prompt,
        completionTokens,
        expected: { calls: 1, promptTokens: expected, completionTokens: answer },
      },
    ];
  },
  term: (node, t) => {
    const first =
      String(node.params.template ?? '')
        .split('\n')
        .find((l) => l.trim() !== '') ?? '';
    return `llm⟨${first.length > 40 ? `${first.slice(0, 40)}…` : first}⟩${t.args}`;
  },
};

/**
 * What an answer is expected to take, for the plan preview's expected tokens (the bound is its Max
 * tokens): answers mostly stop well short of their limit (a label, a number, a few sentences).
 */
export function expectedAnswerTokens(maxTokens: number): number {
  return Math.max(1, Math.ceil(maxTokens / 4));
}

/** How a non-text value is written into a prompt. */
export function promptText(v: Value | undefined): string {
  return typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
}

/** The request an LLM node makes for these inputs (exported so the planner and tests size it). */
export function leafRequest(inputs: Record<string, Value>, params: Params, query: string): LeafRequest {
  const values: Record<string, string> = { query };
  for (const [name, v] of Object.entries(inputs)) values[name] = promptText(v);
  const messages: ChatMessage[] = [];
  if (typeof params.system === 'string' && params.system.trim() !== '')
    messages.push({ role: 'system', content: params.system });
  messages.push({ role: 'user', content: renderTemplate(String(params.template), values) });
  const request: LeafRequest = {
    messages,
    maxTokens: Number(params.maxTokens),
    temperature: Number(params.temperature),
  };
  if (params.jsonSchema !== null && params.jsonSchema !== undefined) request.jsonSchema = params.jsonSchema;
  return request;
}

async function callLeaf(inputs: Record<string, Value>, params: Params, ctx: EvalContext): Promise<Value> {
  const request = leafRequest(inputs, params, ctx.query);
  const response = await ctx.leaf(request, { label: 'LLM' });
  if (response.finishReason === 'abort')
    throw new RunError('Aborted', 'the model call was stopped', ctx.nodeId);
  if (response.finishReason === 'length')
    throw new RunError(
      'LeafFailed',
      `the answer was cut off at the ${request.maxTokens}-token limit: raise "Max tokens" on this node or ask for a shorter answer`,
      ctx.nodeId,
    );
  const text = stripThink(response.text).trim();
  return isSentinelReply(text, params.notFound) ? ABSENT : text;
}

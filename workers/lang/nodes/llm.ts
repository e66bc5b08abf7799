import type { NodeSpec, ParamProblem, Params, PortSpec } from '../node-spec.ts';
import { namedInputs, parseTemplate } from '../template.ts';
import { Str, Var } from '../types.ts';

export const DEFAULT_TEMPLATE =
  'Answer the question using only the text below.\n\nQuestion: {{query}}\n\nText:\n{{chunk}}';

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
      name: 'jsonSchema',
      label: 'JSON schema',
      kind: 'json',
      default: null,
      description: 'Optional: ask the model for JSON following this schema (where the provider can).',
    },
  ],
  inPalette: true,
  ports: (node) => {
    const template = typeof node.params.template === 'string' ? node.params.template : DEFAULT_TEMPLATE;
    const inputs: PortSpec[] = [];
    if (parseTemplate(template).variables.includes('chunk'))
      inputs.push({ name: 'chunk', type: Str, label: 'chunk' });
    // Named inputs accept any type: non-text values are written into the prompt as JSON.
    for (const name of namedInputs(template)) inputs.push({ name, type: Var(`T_${name}`), label: name });
    return { inputs, outputs: [{ name: 'text', type: Str, label: 'answer' }] };
  },
  validate: (params: Params): ParamProblem[] =>
    parseTemplate(String(params.template)).problems.map((message) => ({ param: 'template', message })),
};

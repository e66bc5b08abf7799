import { Bool, Counts, Int, Json, List, Str, type Type } from '../check/types.ts';
import { RunError } from '../run/errors.ts';
import type { Bound, NodeSpec, ParamProblem, Params, Value } from './node-spec.ts';
import {
  parseBool,
  parseCounts,
  parseInt_,
  parseJson,
  parseList,
  schemaShapeProblem,
} from './parse-value.ts';

export const PARSE_TARGETS = ['counts', 'list', 'int', 'bool', 'json'] as const;

export function parseType(as: unknown): Type {
  switch (as) {
    case 'counts':
      return Counts;
    case 'list':
      return List(Str);
    case 'int':
      return Int;
    case 'bool':
      return Bool;
    default:
      return Json;
  }
}

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
        'counts: Counts; list: List<Str>; int: Int; bool: Bool; json: Json (optionally with a schema).',
    },
    {
      name: 'maxItems',
      label: 'Max items',
      kind: 'int',
      default: 200,
      min: 1,
      max: 100_000,
      description: 'A longer list is an error (this also bounds the calls the planner predicts downstream).',
      visible: (p) => p.as === 'list',
    },
    {
      name: 'schema',
      label: 'JSON schema',
      kind: 'json',
      default: null,
      description: 'Optional schema the value must follow (type, properties, required, items, enum).',
      visible: (p) => p.as === 'json',
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
  compute: (inputs, params, ctx) => {
    const text = String(inputs.text ?? '');
    try {
      return { value: parseAs(text, params) };
    } catch (e) {
      if (e instanceof RunError) throw new RunError(e.kind, e.message, ctx.nodeId);
      throw e;
    }
  },
  // A number, a tally or JSON written back out (compactly) is no longer than the text it was read from.
  bound: (inputs, params) => ({
    value:
      params.as === 'list'
        ? { size: Number(params.maxItems), chars: Infinity, tokens: Infinity, item: unknownBound }
        : {
            ...unknownBound,
            chars: inputs.text?.bound.chars ?? Infinity,
            tokens: inputs.text?.bound.tokens ?? Infinity,
          },
  }),
  term: (node, t) => `parse${node.params.as !== undefined ? `[${String(node.params.as)}]` : ''}${t.args}`,
};

const unknownBound: Bound = { size: Infinity, chars: Infinity, tokens: Infinity, item: null };

export function parseAs(text: string, params: Params): Value {
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
      return parseList(text, Number(params.maxItems) || 200);
  }
}

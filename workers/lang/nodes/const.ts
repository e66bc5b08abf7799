import { Bool, Counts, Int, Json, List, Str, type Type } from '../check/types.ts';
import type { JsonValue, NodeSpec, ParamProblem, Params, Value } from './node-spec.ts';

export const CONST_TYPES = ['Str', 'Int', 'Bool', 'Counts', 'Json', 'List<Str>', 'List<Int>'] as const;
export type ConstType = (typeof CONST_TYPES)[number];

export function constType(name: unknown): Type {
  switch (name) {
    case 'Int':
      return Int;
    case 'Bool':
      return Bool;
    case 'Counts':
      return Counts;
    case 'Json':
      return Json;
    case 'List<Str>':
      return List(Str);
    case 'List<Int>':
      return List(Int);
    default:
      return Str;
  }
}

/** Why `value` is not a literal of type `type`, or null when it is. */
export function constValueProblem(type: unknown, value: unknown): string | null {
  const isInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
  switch (type) {
    case 'Str':
      return typeof value === 'string' ? null : 'a Str constant needs a string value';
    case 'Int':
      return isInt(value) ? null : 'an Int constant needs a whole number';
    case 'Bool':
      return typeof value === 'boolean' ? null : 'a Bool constant needs true or false';
    case 'Counts':
      return value !== null &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.values(value).every(isInt)
        ? null
        : 'a Counts constant needs an object of whole numbers, e.g. {"a": 2}';
    case 'Json':
      return null;
    case 'List<Str>':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? null
        : 'a List<Str> constant needs an array of strings';
    case 'List<Int>':
      return Array.isArray(value) && value.every(isInt)
        ? null
        : 'a List<Int> constant needs an array of whole numbers';
    default:
      return `unknown constant type; one of ${CONST_TYPES.join(', ')}`;
  }
}

export const constSpec: NodeSpec = {
  kind: 'Const',
  group: 'source',
  title: 'Constant',
  description: 'A literal value: text, a number, a flag, counts, a list or JSON.',
  params: [
    {
      name: 'type',
      label: 'Type',
      kind: 'enum',
      options: CONST_TYPES,
      default: 'Str',
      description: 'The type of the value.',
    },
    { name: 'value', label: 'Value', kind: 'json', default: '', description: 'The literal, as JSON.' },
  ],
  logged: false,
  ports: (node) => ({
    inputs: [],
    outputs: [{ name: 'value', type: constType(node.params.type ?? 'Str'), label: 'value' }],
  }),
  validate: (params: Params): ParamProblem[] => {
    const problem = constValueProblem(params.type, params.value);
    return problem ? [{ param: 'value', message: problem }] : [];
  },
  compute: (_inputs, params) => ({ value: structuredClone(params.value as JsonValue) as Value }),
  mayBeEmpty: (params) => !(Array.isArray(params.value) && params.value.length > 0),
  term: (node, t) => t.literal(node.params.value),
};

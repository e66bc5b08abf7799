import { Str } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

/**
 * The long document P. Role `input`: the evaluator supplies P itself with its span [0, |P|), and the
 * planner sizes it (n tokens); there is nothing to compute here.
 */
export const inputSpec: NodeSpec = {
  kind: 'Input',
  group: 'source',
  title: 'Input',
  description: 'The long document P the pipeline works on.',
  params: [],
  role: 'input',
  ports: () => ({ inputs: [], outputs: [{ name: 'text', type: Str, label: 'P' }] }),
  term: () => 'P',
};

import { Str } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

/** The long document P. Its value is the run's input; its span is the whole of P. */
export const inputSpec: NodeSpec = {
  kind: 'Input',
  group: 'source',
  title: 'Input',
  description: 'The long document P the pipeline works on.',
  params: [],
  inPalette: true,
  ports: () => ({ inputs: [], outputs: [{ name: 'text', type: Str, label: 'P' }] }),
  // The evaluator supplies P itself (and its span [0, |P|)); this node has nothing to compute.
};

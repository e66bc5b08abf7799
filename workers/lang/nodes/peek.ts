import { Str } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

/** Resolves [start, end) on a string of this length: negative offsets count from the end, like slice. */
export function peekRange(length: number, start: number, end: number | null): [number, number] {
  const clamp = (v: number) => Math.max(0, Math.min(length, v < 0 ? length + v : v));
  const from = clamp(start);
  const to = end === null ? length : clamp(end);
  return [from, Math.max(from, to)];
}

export const peekSpec: NodeSpec = {
  kind: 'Peek',
  group: 'symbolic',
  title: 'Peek',
  description: 'A slice [start, end) of the text, e.g. a preview for a cheap filter.',
  params: [
    {
      name: 'start',
      label: 'Start',
      kind: 'int',
      default: 0,
      description: 'First character (negative: from the end).',
    },
    {
      name: 'end',
      label: 'End',
      kind: 'int',
      default: 2000,
      nullable: true,
      description: 'One past the last character (negative: from the end; empty: to the end).',
    },
  ],
  ports: () => ({
    inputs: [{ name: 'text', type: Str, label: 'text' }],
    outputs: [{ name: 'preview', type: Str, label: 'slice' }],
  }),
  compute: (inputs, params, ctx) => {
    const text = String(inputs.text ?? '');
    const [from, to] = peekRange(
      text.length,
      Number(params.start),
      params.end === null ? null : Number(params.end),
    );
    ctx.recordSpans('preview', 'text', [from, to]);
    return { preview: text.slice(from, to) };
  },
  bound: (inputs, params) => {
    const input = inputs.text?.bound ?? { size: 1, chars: Infinity, tokens: Infinity, item: null };
    const start = Number(params.start);
    const end = params.end === null ? null : Number(params.end);
    const span = end !== null && start >= 0 && end >= 0 ? Math.max(0, end - start) : Infinity;
    const chars = Math.min(input.chars, span);
    return { preview: { size: 1, chars, tokens: Math.min(input.tokens, chars), item: null } };
  },
  // A slice of the text: a piece of P stays a piece of P.
  passes: [{ output: 'preview', input: 'text' }],
  term: (node, t) => `peek[${node.params.start ?? 0}, ${node.params.end ?? '…'})${t.args}`,
};

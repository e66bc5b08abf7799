/**
 * A plan's own input made ready to run: the sample its generator makes (in the sample worker) or its inline
 * text — unless the user's own document is loaded, which is never replaced without asking.
 */
import type { Plan } from '../../workers/lang/index.ts';
import { generateSample } from '../panels/run/sampleGeneration.ts';
import { setInputText, useInput } from '../store/input.ts';

export type PreparedInput = 'sample' | 'inline' | 'kept' | 'none';

/**
 * Makes a plan's own input (a sample to generate, or inline text) the input, for an example, an imported plan
 * or a first visit; keeps a document the user pasted or opened.
 */
export function preparePlanInput(plan: Plan): PreparedInput {
  const own = useInput.getState().meta.source;
  const generator = plan.input.generator;
  const inline = plan.input.text;
  if (!generator && !inline) return 'none';
  if (own === 'paste' || own === 'file') return 'kept';
  if (generator) {
    const tokens = Number(generator.params.tokens) || 8_000;
    void generateSample({ generator: generator.name, tokens, seed: Number(generator.params.seed) || 1 });
    return 'sample';
  }
  setInputText(inline ?? '', 'sample', 'the plan’s input');
  return 'inline';
}

/** What the notice says when the user's own document was kept as the input of an example. */
export const KEPT_INPUT_NOTE =
  'Your own document stays the input. For the example’s own sample, use Generate sample in the Input tab.';

/**
 * The symbols of λ-RLM, explained where they appear (the plan preview, the Reduce node, a Fix's lanes, the
 * palette): k*, τ*, α, ⊕, N̂ and d are the paper's notation, and nobody is expected to know it.
 */
import type { ReactNode } from 'react';

export const GLOSSARY: Readonly<Record<string, string>> = {
  'k*': 'k* — how many pieces a Split cuts its text into at each level of the recursion, chosen by the planner.',
  'τ*': 'τ* — the leaf size: a piece this small (in tokens) goes to the model as it is instead of being split again.',
  α: 'α — the target accuracy: the planner raises k* until its predicted accuracy reaches α (or says it cannot).',
  '⊕': '⊕ — the combine operator of a Reduce: how two results become one (concat, merge-counts, best, union, sum, dedupe, or a body of your own).',
  N̂: 'N̂ — the most model calls the run can make, by part (leaves, filters, combines, repairs); retries are not counted.',
  d: 'd — the depth of the recursion: how many times the input is split before the pieces are small enough.',
};

const SYMBOLS = ['k*', 'τ*', 'α', '⊕'] as const;

/** The explanations of the symbols a text uses, one per line (empty when it uses none). */
export function explainSymbols(text: string): string {
  return SYMBOLS.filter((s) => text.includes(s))
    .map((s) => GLOSSARY[s])
    .join('\n');
}

/** A symbol with its explanation on hover (and for screen readers, as the abbreviation's title). */
export function Term({ symbol, children }: { symbol: keyof typeof GLOSSARY; children?: ReactNode }) {
  return (
    <abbr className="term" title={GLOSSARY[symbol]} data-term={symbol}>
      {children ?? symbol}
    </abbr>
  );
}

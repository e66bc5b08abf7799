/**
 * How a sample document is laid out: its line endings and what separates its blocks (paragraphs,
 * documents, files). Users' documents come with CRLF line endings, with blank lines between blocks, with
 * one line break, or with none at all; the samples come in all of these.
 */
import type { Rng } from './random.ts';

export interface Layout {
  newline: '\n' | '\r\n';
  /** Between blocks: a blank line, a single line break, or (for one-line blocks) just a space. */
  separator: 'blank' | 'single' | 'none';
}

/** The layout for a sample: the given parts, the rest drawn from the seed (mostly LF and blank lines). */
export function pickLayout(rng: Rng, given: Partial<Layout> = {}): Layout {
  const newline = rng.int(4) === 0 ? '\r\n' : '\n';
  const roll = rng.int(6);
  const separator = roll < 3 ? 'blank' : roll < 5 ? 'single' : 'none';
  return { newline: given.newline ?? newline, separator: given.separator ?? separator };
}

/** Text written with `\n` in the layout's line endings. */
export function withNewlines(text: string, layout: Layout): string {
  return layout.newline === '\n' ? text : text.replace(/\n/g, '\r\n');
}

/**
 * Blocks (each may hold `\n` line breaks) joined by the layout's separator. A block of several lines
 * cannot run on with a space, so `none` joins those with a single line break.
 */
export function joinBlocks(blocks: readonly string[], layout: Layout): string {
  const multiLine = blocks.some((b) => b.includes('\n'));
  const gap = layout.separator === 'blank' ? '\n\n' : layout.separator === 'single' || multiLine ? '\n' : ' ';
  return withNewlines(blocks.join(gap), layout);
}

/**
 * Reasoning models (Qwen3, DeepSeek-R1 and their kin) may wrap a chain of thought in `<think>…</think>`
 * before the answer. A leaf's answer is only what follows: the thought is never part of a value that
 * flows on through the plan (docs/evaluation.md). The one reading of it: the engines (`workers/models`)
 * stream and strip with it, and the kinds that read answers (LLM, Parse, a vote's ⊕) read what it leaves.
 */
const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * The answer without its thinking: every closed block is removed, an unclosed block (the answer was cut
 * while still thinking) hides everything after it, and a lone `</think>` (a chat template that opened
 * the block in the prompt) hides everything before it. Leading whitespace left by a removed block goes.
 */
export function stripThink(text: string): string {
  return visibleText(text, true).text;
}

/**
 * Streams the visible part of a growing answer: feed it each new piece and it returns only the new
 * visible text, holding back what might still turn out to be the start of a tag. The final text must be
 * taken from `stripThink` of the whole answer, which is authoritative: a lone `</think>` late in a stream
 * makes earlier pieces, already shown as progress, part of the thought.
 */
export class ThinkFilter {
  private raw = '';
  private shown = '';

  push(piece: string): string {
    this.raw += piece;
    const { text } = visibleText(this.raw, false);
    if (!text.startsWith(this.shown)) return '';
    const fresh = text.slice(this.shown.length);
    this.shown = text;
    return fresh;
  }

  /** The text so far, with the thinking removed, as `stripThink` would give it. */
  get text(): string {
    return stripThink(this.raw);
  }
}

function visibleText(text: string, final: boolean): { text: string } {
  let rest = text;
  const loneClose = rest.indexOf(CLOSE);
  const firstOpen = rest.indexOf(OPEN);
  if (loneClose >= 0 && (firstOpen < 0 || loneClose < firstOpen)) {
    rest = rest.slice(loneClose + CLOSE.length).replace(/^\s+/, '');
  }
  let out = '';
  let removed = false;
  for (;;) {
    const open = rest.indexOf(OPEN);
    if (open < 0) break;
    out += rest.slice(0, open);
    const close = rest.indexOf(CLOSE, open + OPEN.length);
    removed = true;
    if (close < 0) {
      rest = '';
      break;
    }
    rest = rest.slice(close + CLOSE.length);
    if (out.trim() === '') {
      out = '';
      rest = rest.replace(/^\s+/, '');
    }
  }
  if (!final) {
    // Hold back a tail that could still grow into `<think>` or `</think>`.
    const hold = partialTagSuffix(rest);
    rest = rest.slice(0, rest.length - hold);
    // While only whitespace follows a removed block, it may still be the gap before the answer.
    if (removed && out === '' && rest.trim() === '') rest = '';
  }
  return { text: out + rest };
}

function partialTagSuffix(s: string): number {
  let longest = 0;
  for (const tag of [CLOSE, OPEN]) {
    for (let n = Math.min(tag.length - 1, s.length); n > longest; n--) {
      if (s.endsWith(tag.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}

/**
 * TEST DOUBLE helper: finds which of many known passages (a sample's records, key sentences, evidence)
 * occur in a prompt, in one pass over the prompt. Passages and prompt are compared with runs of white
 * space made one space (so CRLF, line breaks and indentation do not matter), and a passage that begins or
 * ends with a letter or digit must not run on into a longer word or number ("37" is not in "370").
 */

/** White-space runs (line breaks, tabs, ideographic spaces) as one space; trimmed. */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

const WORD = /[A-Za-z0-9]/;
function boundaryOk(text: string, from: number, to: number, passage: string): boolean {
  if (WORD.test(passage[0]!) && from > 0 && WORD.test(text[from - 1]!)) return false;
  if (WORD.test(passage.at(-1)!) && to < text.length && WORD.test(text[to]!)) return false;
  return true;
}

/** Whether `passage` occurs in the normalised `text`, at word boundaries. */
export function occursIn(text: string, passage: string): boolean {
  const p = normaliseSpace(passage);
  if (p === '') return false;
  for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1))
    if (boundaryOk(text, at, at + p.length, p)) return true;
  return false;
}

export interface Occurrence<T> {
  item: T;
  at: number;
}

export class TextIndex<T> {
  private readonly byPrefix = new Map<string, { text: string; item: T }[]>();
  private readonly prefix: number;

  constructor(items: readonly T[], textOf: (item: T) => string) {
    const texts = items
      .map((item) => ({ text: normaliseSpace(textOf(item)), item }))
      .filter((e) => e.text !== '');
    this.prefix = Math.max(1, Math.min(16, ...texts.map((e) => e.text.length)));
    for (const e of texts) {
      const key = e.text.slice(0, this.prefix);
      const list = this.byPrefix.get(key);
      if (list) list.push(e);
      else this.byPrefix.set(key, [e]);
    }
    // Longest first, so a passage that begins another is not taken for it.
    for (const list of this.byPrefix.values()) list.sort((a, b) => b.text.length - a.text.length);
  }

  /** Every occurrence in the normalised `text`, in order; occurrences do not overlap. */
  find(text: string): Occurrence<T>[] {
    const out: Occurrence<T>[] = [];
    if (this.byPrefix.size === 0) return out;
    for (let i = 0; i + this.prefix <= text.length; ) {
      const candidates = this.byPrefix.get(text.slice(i, i + this.prefix));
      const hit = candidates?.find(
        (c) => text.startsWith(c.text, i) && boundaryOk(text, i, i + c.text.length, c.text),
      );
      if (hit) {
        out.push({ item: hit.item, at: i });
        i += hit.text.length;
      } else i++;
    }
    return out;
  }
}

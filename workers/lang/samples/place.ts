/**
 * Putting a sentence into filler at a chosen depth: at the sentence boundary nearest to a fraction of the
 * text, anywhere from the very start to the very end (a first or last sentence included).
 */

/** Inserts `sentence` into `paragraphs` (each a list of sentences) nearest to `at` (0..1) of the text. */
export function insertSentence(paragraphs: string[][], sentence: string, at: number): void {
  const lengths = paragraphs.map((p) => p.reduce((n, s) => n + s.length + 1, 0));
  const total = lengths.reduce((a, b) => a + b, 0);
  let target = Math.max(0, Math.min(1, at)) * total;
  for (let p = 0; p < paragraphs.length; p++) {
    const sentences = paragraphs[p]!;
    if (target > lengths[p]! && p < paragraphs.length - 1) {
      target -= lengths[p]!;
      continue;
    }
    let offset = 0;
    let i = 0;
    while (i < sentences.length && offset + sentences[i]!.length / 2 < target) {
      offset += sentences[i]!.length + 1;
      i++;
    }
    sentences.splice(i, 0, sentence);
    return;
  }
  paragraphs.push([sentence]);
}

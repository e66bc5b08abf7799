/**
 * Neutral filler prose for the samples. The vocabulary is chosen so it never contains a word the samples'
 * questions rely on (secret, code, which, year, the institutions and names of the facts, the question
 * words of OOLONG): a keyword filter or a keyword-matching model then finds only the planted material.
 */
import type { Rng } from './random.ts';

const SUBJECTS = [
  'The old miller',
  'A young painter',
  'The harbor master',
  'Our neighbor',
  'The baker',
  'A tired traveler',
  'The gardener',
  'The fisherman',
  'A quiet student',
  'The carpenter',
  'The weaver',
  'A patient shepherd',
] as const;
const VERBS = [
  'carried',
  'painted',
  'mended',
  'watched',
  'followed',
  'gathered',
  'polished',
  'counted',
  'described',
  'noticed',
  'sketched',
  'admired',
] as const;
const OBJECTS = [
  'a basket of apples',
  'the wooden gate',
  'an old lantern',
  'the morning tide',
  'a pile of letters',
  'the narrow bridge',
  'a copper kettle',
  'the garden wall',
  'a bundle of reeds',
  'the village clock',
  'a row of beehives',
  'the stone fountain',
] as const;
const TAILS = [
  'before dawn',
  'in the rain',
  'along the river',
  'near the market',
  'after supper',
  'with great care',
  'on a windy day',
  'beside the mill',
  'under the elms',
  'at the edge of town',
  'during the fair',
  'while the bells rang',
] as const;

/** Every word the filler can use, lower-cased (tests check the planted keywords are not among them). */
export const PROSE_WORDS: ReadonlySet<string> = new Set(
  [...SUBJECTS, ...VERBS, ...OBJECTS, ...TAILS]
    .flatMap((s) => s.toLowerCase().split(/[^a-z]+/))
    .filter(Boolean),
);

export function sentence(rng: Rng): string {
  return `${rng.pick(SUBJECTS)} ${rng.pick(VERBS)} ${rng.pick(OBJECTS)} ${rng.pick(TAILS)}.`;
}

/** A paragraph of `min`…`max` sentences on one line. */
export function paragraph(rng: Rng, min = 3, max = 6): string {
  const n = min + rng.int(max - min + 1);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(sentence(rng));
  return out.join(' ');
}

/** Paragraphs until their text (joined by blank lines) reaches `targetChars`; `grew` hears the length. */
export function paragraphsUpTo(rng: Rng, targetChars: number, grew?: (length: number) => void): string[] {
  const out: string[] = [];
  let length = 0;
  while (length < targetChars) {
    const p = paragraph(rng);
    out.push(p);
    length += p.length + 2;
    grew?.(length);
  }
  return out;
}

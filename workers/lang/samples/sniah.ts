/**
 * S-NIAH (single needle in a haystack): filler prose with one sentence
 * `The secret code for <key> is <value>.` at a random depth. The query asks for the key's code.
 */
import { paragraphsUpTo } from './prose.ts';
import { seededRandom } from './random.ts';
import { charsFor, progressOf, type SampleGenerator } from './sample.ts';

const KEYS = [
  'Orion',
  'Juniper',
  'Falcon',
  'Cobalt',
  'Meridian',
  'Tundra',
  'Saffron',
  'Quasar',
  'Nimbus',
  'Vesper',
];
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export const sniahSample: SampleGenerator<string> = {
  name: 'sniah',
  example: 'sniah.json',
  description: 'Filler prose with one secret-code sentence hidden at a random depth.',
  generate({ tokens, seed, onProgress }) {
    const rng = seededRandom(seed);
    const key = rng.pick(KEYS);
    let value = '';
    for (let i = 0; i < 8; i++) value += (i === 4 ? '-' : '') + ALPHABET[rng.int(ALPHABET.length)];
    const needle = `The secret code for ${key} is ${value}.`;
    const target = charsFor(tokens);
    const paragraphs = paragraphsUpTo(rng, target, progressOf(onProgress, target));
    // The needle goes at a sentence boundary inside a random paragraph, so no chunker has to cut it.
    const at = rng.int(paragraphs.length);
    const sentences = paragraphs[at]!.split(/(?<=\.) /);
    sentences.splice(rng.int(sentences.length + 1), 0, needle);
    paragraphs[at] = sentences.join(' ');
    return { text: paragraphs.join('\n\n'), query: `What is the secret code for ${key}?`, expected: value };
  },
  isCorrect(result, expected) {
    return typeof result === 'string' && result.trim() === expected;
  },
};

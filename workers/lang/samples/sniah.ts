/**
 * S-NIAH (a single needle in a haystack, after RULER): filler prose with one sentence giving a key's
 * special magic number, at any depth. The needle and the question are each worded one of several ways
 * (in English or Chinese), other keys' numbers and sentences that name the key without its number sit in
 * the filler, and the layout varies. The answer is the number.
 */

import { sampleKinds } from './kinds.ts';
import { joinBlocks, pickLayout } from './layout.ts';
import { insertSentence } from './place.ts';
import { joinSentences, paragraphSentences, type Script } from './prose.ts';
import { type Rng, seededRandom } from './random.ts';
import { charsFor, defineGenerator, progressOf } from './sample.ts';

const COLOURS = ['silver', 'amber', 'crimson', 'jade', 'cobalt', 'ivory', 'saffron', 'slate', 'copper'];
const ANIMALS = ['owl', 'fox', 'heron', 'lynx', 'otter', 'wren', 'badger', 'falcon', 'moth', 'hare'];
const ZH_COLOURS = ['银色', '琥珀色', '深红色', '翡翠色', '钴蓝色', '象牙色', '铜色'];
const ZH_ANIMALS = ['猫头鹰', '狐狸', '苍鹭', '猞猁', '水獭', '鹪鹩', '獾', '猎鹰'];

type Phrase = (key: string, value: string) => string;

const NEEDLES: Phrase[] = [
  (k, v) => `The special magic number for ${k} is ${v}.`,
  (k, v) => `One of the special magic numbers for ${k} is: ${v}.`,
  (k, v) => `Remember this: the magic number that belongs to ${k} is ${v}.`,
  (k, v) => `For the record, ${k} was given the special magic number ${v}.`,
  (k, v) => `Written on the back of the card: special magic number of ${k} = ${v}.`,
];
const QUESTIONS: ((key: string) => string)[] = [
  (k) => `What is the special magic number for ${k}?`,
  (k) => `Which special magic number is mentioned for ${k}?`,
  (k) => `Find the magic number that belongs to ${k}.`,
  (k) => `What number was recorded as the special magic number of ${k}?`,
  (k) => `Tell me the special magic number of ${k}.`,
];
/** Sentences that name the key but give no number: a reader must not take them for the needle. */
const NEAR_MISSES: ((key: string) => string)[] = [
  (k) => `Nobody remembered why ${k} had been given a number at all.`,
  (k) => `The card for ${k} was smudged where the number should have been.`,
];

const ZH_NEEDLES: Phrase[] = [
  (k, v) => `${k}的特别魔法数字是${v}。`,
  (k, v) => `请记住：属于${k}的魔法数字是${v}。`,
];
const ZH_QUESTIONS: ((key: string) => string)[] = [
  (k) => `${k}的特别魔法数字是多少？`,
  (k) => `请找出${k}的特别魔法数字。`,
];
const ZH_NEAR_MISSES: ((key: string) => string)[] = [(k) => `没有人记得为什么${k}会有一个数字。`];

function keyFor(rng: Rng, script: Script, taken: Set<string>): string {
  for (;;) {
    const key =
      script === 'cjk'
        ? `${rng.pick(ZH_COLOURS)}${rng.pick(ZH_ANIMALS)}`
        : `${rng.pick(COLOURS)}-${rng.pick(ANIMALS)}`;
    if (!taken.has(key)) {
      taken.add(key);
      return key;
    }
  }
}

const magicNumber = (rng: Rng) => String(1_000_000 + rng.int(9_000_000));

export const sniahSample = defineGenerator<string>({
  ...sampleKinds.sniah,
  generate({ tokens, seed, layout: given, script: givenScript, at, withoutAnswer, onProgress }) {
    const rng = seededRandom(seed);
    const script: Script = givenScript ?? (['latin', 'latin', 'latin', 'cjk', 'mixed'] as const)[rng.int(5)]!;
    const layout = pickLayout(rng, given);
    const zh = script === 'cjk';
    const keys = new Set<string>();
    const key = keyFor(rng, script, keys);
    const value = magicNumber(rng);
    const needle = rng.pick(zh ? ZH_NEEDLES : NEEDLES)(key, value);
    const query = rng.pick(zh ? ZH_QUESTIONS : QUESTIONS)(key);

    const target = charsFor(tokens);
    const paragraphs: string[][] = [];
    let length = 0;
    const grew = progressOf(onProgress, target);
    while (length < target - needle.length) {
      const p = paragraphSentences(rng, script);
      paragraphs.push(p);
      length += p.reduce((n, s) => n + s.length + 1, 0) + 1;
      grew(length);
    }
    // Other keys' numbers and sentences that name this key without a number, anywhere.
    const distractors = rng.int(4);
    for (let i = 0; i < distractors; i++)
      insertSentence(
        paragraphs,
        rng.pick(zh ? ZH_NEEDLES : NEEDLES)(keyFor(rng, script, keys), magicNumber(rng)),
        rng.next(),
      );
    if (rng.int(2) === 0)
      insertSentence(paragraphs, rng.pick(zh ? ZH_NEAR_MISSES : NEAR_MISSES)(key), rng.next());
    if (!withoutAnswer) insertSentence(paragraphs, needle, at ?? rng.next());

    return {
      text: joinBlocks(
        paragraphs.map((p) => joinSentences(p, script)),
        layout,
      ),
      query,
      expected: withoutAnswer ? null : value,
      truth: { question: query, facts: [{ evidence: [needle], answer: value }] },
    };
  },
});

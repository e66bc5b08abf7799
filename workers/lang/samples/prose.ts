/**
 * Filler prose for the samples, in English, in Chinese, or mixed (accents, dashes, the odd emoji and a
 * Japanese sentence among English ones). Nothing here avoids the words a question may use: the filler
 * talks about numbers, years, codes, openings and stations too, so a plan that keeps pieces by the
 * question's words keeps filler as well, as it would on a user's own document.
 */
import type { Rng } from './random.ts';

export type Script = 'latin' | 'cjk' | 'mixed';

const SUBJECTS = [
  'The old miller',
  'A young painter',
  'The harbour master',
  'Our neighbour',
  'The baker',
  'A tired traveller',
  'The gardener',
  'The fisherman',
  'A quiet student',
  'The carpenter',
  'The weaver',
  'A patient shepherd',
  'The station clerk',
  'My grandmother',
  'The new teacher',
  'A retired sailor',
  'The village doctor',
  'Two children',
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
  'opened',
  'numbered',
  'recorded',
  'forgot',
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
  'the ledger of the station',
  'a map with a secret path',
  'the special edition of the paper',
  'a box of magic tricks',
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
  'in the year of the flood',
  'when the library opened',
] as const;
/** Whole sentences that sound like facts or questions but answer nothing a sample asks. */
const ASIDES = [
  'Nobody knew what number the harbour master had chosen.',
  'Which year the bridge was built, nobody could say.',
  'The code of conduct was read aloud twice.',
  'Some said the station would open again, others doubted it.',
  'It was the special kind of evening that people remember.',
  'How many boats were out that night is still argued about.',
  'Who painted the sign above the inn remains a mystery.',
  'The number of visitors doubled one summer and halved the next.',
  'There was talk of a magic trick at the fair, and of a missing key.',
  'The museum kept its opening hours in a small brass frame.',
] as const;

const ZH_SUBJECTS = [
  '老磨坊主',
  '年轻的画家',
  '港务长',
  '我们的邻居',
  '面包师',
  '疲惫的旅人',
  '园丁',
  '渔夫',
  '安静的学生',
  '木匠',
  '车站的职员',
  '退休的水手',
] as const;
const ZH_TIMES = [
  '在黎明前',
  '在雨中',
  '沿着河边',
  '在集市附近',
  '晚饭后',
  '在一个刮风的日子',
  '在磨坊旁边',
  '在榆树下',
  '在镇子的边上',
  '在节日期间',
] as const;
const ZH_ACTIONS = [
  '搬着一篮苹果',
  '修好了木门',
  '看着早潮',
  '整理了一堆信件',
  '走过了窄桥',
  '擦亮了铜壶',
  '数了数蜂箱',
  '描述了石头喷泉',
  '记下了车站的账本',
  '画了村里的钟',
] as const;
const ZH_ASIDES = [
  '没有人知道港务长选了哪个数字。',
  '那座桥是哪一年建的，谁也说不清。',
  '有人说车站会重新开放，也有人怀疑。',
  '那天晚上有多少条船出海，至今还有争论。',
] as const;

const JA_SENTENCES = [
  '川沿いの道はいつも静かだった。',
  '古い灯台の鍵はまだ見つかっていない。',
  '市場の時計は少し遅れていた。',
] as const;
const MIXED_TOUCHES = [
  '— or so it seemed.',
  '(déjà vu, said Zoë).',
  '🙂',
  '… and then the rain stopped.',
  'São Paulo felt far away.',
] as const;

function englishSentence(rng: Rng): string {
  if (rng.int(8) === 0) return rng.pick(ASIDES);
  return `${rng.pick(SUBJECTS)} ${rng.pick(VERBS)} ${rng.pick(OBJECTS)} ${rng.pick(TAILS)}.`;
}

function chineseSentence(rng: Rng): string {
  if (rng.int(8) === 0) return rng.pick(ZH_ASIDES);
  return `${rng.pick(ZH_SUBJECTS)}${rng.pick(ZH_TIMES)}${rng.pick(ZH_ACTIONS)}。`;
}

/** One filler sentence in the given script. */
export function sentence(rng: Rng, script: Script = 'latin'): string {
  if (script === 'cjk') return chineseSentence(rng);
  if (script === 'mixed') {
    const roll = rng.int(10);
    if (roll === 0) return rng.pick(JA_SENTENCES);
    if (roll === 1) return chineseSentence(rng);
    if (roll === 2) return `${englishSentence(rng).replace(/\.$/, '')} ${rng.pick(MIXED_TOUCHES)}`;
  }
  return englishSentence(rng);
}

/** How sentences of a script are joined: Chinese runs on without spaces. */
export function joinSentences(sentences: readonly string[], script: Script): string {
  return script === 'cjk' ? sentences.join('') : sentences.join(' ');
}

/** A paragraph of `min`…`max` sentences (on one line). */
export function paragraph(rng: Rng, script: Script = 'latin', min = 3, max = 6): string {
  return joinSentences(paragraphSentences(rng, script, min, max), script);
}

export function paragraphSentences(rng: Rng, script: Script = 'latin', min = 3, max = 6): string[] {
  const n = min + rng.int(max - min + 1);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(sentence(rng, script));
  return out;
}

/**
 * Multi-document QA: many short documents (each a title and a few paragraphs) holding the evidence for
 * the question anywhere in them. Questions paraphrase the evidence (a "stargazing station" for an
 * "observatory", "open" for "first welcomed visitors") and half of them take two hops, as HotpotQA's do:
 * one document says which family paid for which building, another, anywhere else, what the question
 * asks about that building; neither answers alone. Similar facts about other buildings of the same kind
 * sit in other documents. Titles, separators (a blank line, one line break, or one document per line)
 * and line endings vary. The answer is the year, name or number.
 */

import { sampleKinds } from './kinds.ts';
import { joinBlocks, type Layout, pickLayout } from './layout.ts';
import { insertSentence } from './place.ts';
import { joinSentences, paragraphSentences, type Script } from './prose.ts';
import { type Rng, seededRandom } from './random.ts';
import { charsFor, defineGenerator, progressOf } from './sample.ts';

/** A kind of building, and how a question may name it instead. */
const KINDS: { name: string; paraphrases: string[] }[] = [
  { name: 'observatory', paraphrases: ['stargazing station', 'place for watching the stars'] },
  { name: 'library', paraphrases: ['lending house for books', 'reading rooms'] },
  { name: 'lighthouse', paraphrases: ['light tower on the coast', 'beacon'] },
  { name: 'museum', paraphrases: ['house of exhibits', 'collection of curiosities'] },
  { name: 'botanical garden', paraphrases: ['garden of rare plants', 'glasshouse park'] },
  { name: 'ferry terminal', paraphrases: ['boat landing', 'ferry station'] },
];
const PLACES = [
  'Kestrel Hill',
  'Marsh Point',
  'the Old Quay',
  'Birch Lane',
  'Saltmarsh Road',
  'Crane Island',
  'Elder Square',
  'Windmill Ridge',
];
const FAMILIES = [
  'Halvorsen',
  'Marchetti',
  'Okonkwo',
  'Lindqvist',
  'Ferreira',
  'Nakamura',
  'Dubois',
  'Kowalski',
];
const PEOPLE = [
  'Ilse Brandt',
  'Tomas Vidal',
  'Amara Eze',
  'Henrik Solberg',
  'Lucía Ortega',
  'Kenji Mori',
  'Nadia Petrova',
];
const TITLES = [
  'Notes from the valley',
  'A walk by the coast',
  'Letters from a farm',
  'Morning in the square',
  'The long summer',
  'Stories of the mill',
  'A visit to the islands',
  'Evenings at the inn',
  'Town records',
  'A guide for visitors',
];

interface Building {
  kind: (typeof KINDS)[number];
  place: string;
}

/** One kind of fact: how documents state it, how a question asks it, and its answer. */
interface Topic {
  answer(rng: Rng): string;
  state(rng: Rng, b: Building, answer: string): string;
  ask(rng: Rng, thing: string): string;
}

const TOPICS: Topic[] = [
  {
    answer: (rng) => String(1780 + rng.int(200)),
    state: (rng, b, year) =>
      rng.pick([
        `The ${b.kind.name} on ${b.place} first welcomed visitors in ${year}.`,
        `In ${year} the ${b.kind.name} on ${b.place} opened its doors.`,
        `The ${b.kind.name} on ${b.place} received its first guests in ${year}, after years of delay.`,
      ]),
    ask: (rng, thing) =>
      rng.pick([
        `In which year did the ${thing} open?`,
        `When did the ${thing} first open to the public?`,
        `What year did the ${thing} start receiving visitors?`,
      ]),
  },
  {
    answer: (rng) => rng.pick(PEOPLE),
    state: (rng, b, person) =>
      rng.pick([
        `The ${b.kind.name} on ${b.place} was designed by ${person}.`,
        `${person} drew the plans for the ${b.kind.name} on ${b.place}.`,
      ]),
    ask: (rng, thing) => rng.pick([`Who designed the ${thing}?`, `Which architect drew up the ${thing}?`]),
  },
  {
    answer: (rng) => String(40 + rng.int(400)),
    state: (rng, b, n) =>
      rng.pick([
        `A climb of ${n} steps leads to the top of the ${b.kind.name} on ${b.place}.`,
        `There are ${n} steps from the door of the ${b.kind.name} on ${b.place} to its roof.`,
      ]),
    ask: (rng, thing) =>
      rng.pick([
        `How many steps does one climb to reach the top of the ${thing}?`,
        `How many steps lead up the ${thing}?`,
      ]),
  },
];

const funded = (rng: Rng, family: string, b: Building) =>
  rng.pick([
    `The ${family} family paid for the ${b.kind.name} on ${b.place}.`,
    `It was the ${family} family who built the ${b.kind.name} on ${b.place}.`,
  ]);

type Header = (n: number, title: string) => string;
const HEADERS: Header[] = [
  (n, t) => `=== Document ${n}: ${t} ===`,
  (_n, t) => `# ${t}`,
  (n, t) => `Document ${n} — ${t}`,
  (n, t) => `[${n}] ${t}`,
];

function takeDistinct<T>(rng: Rng, pool: readonly T[], n: number): T[] {
  const left = [...pool];
  const out: T[] = [];
  for (let i = 0; i < n && left.length > 0; i++) out.push(left.splice(rng.int(left.length), 1)[0]!);
  return out;
}

function documentText(header: string, paragraphs: string[][], script: Script, layout: Layout): string {
  const body = paragraphs.map((p) => joinSentences(p, script));
  // With no separators at all, a dump holds one document per line.
  return layout.separator === 'none' ? [header, ...body].join(' ') : [header, ...body].join('\n');
}

export const multidocQaSample = defineGenerator<string>({
  ...sampleKinds['multidoc-qa'],
  generate({ tokens, seed, layout: given, script: givenScript, at, withoutAnswer, onProgress }) {
    const rng = seededRandom(seed);
    const script: Script =
      givenScript === 'cjk' ? 'mixed' : (givenScript ?? (rng.int(4) === 0 ? 'mixed' : 'latin'));
    const layout = pickLayout(rng, given);
    const header = rng.pick(HEADERS);
    const topic = rng.pick(TOPICS);
    const twoHop = rng.int(2) === 0;
    const kind = rng.pick(KINDS);
    // Buildings of the same kind elsewhere, so the kind alone never settles the question.
    const places = takeDistinct(rng, PLACES, 3);
    const families = takeDistinct(rng, FAMILIES, places.length);
    const buildings = places.map((place) => ({ kind, place }));
    const target = buildings[0]!;
    const answer = topic.answer(rng);
    const paraphrase = rng.pick(kind.paraphrases);
    const thing = twoHop
      ? rng.pick([
          `${paraphrase} that the ${families[0]} family paid for`,
          `${paraphrase} built by the ${families[0]} family`,
        ])
      : `${paraphrase} on ${target.place}`;
    const query = topic.ask(rng, thing);

    const statement = topic.state(rng, target, answer);
    const evidence = twoHop ? [funded(rng, families[0]!, target), statement] : [statement];
    // Every other building gets the same kinds of sentence with other answers.
    const others: string[][] = [];
    buildings.slice(1).forEach((b, i) => {
      let other = topic.answer(rng);
      while (other === answer) other = topic.answer(rng);
      others.push(
        twoHop
          ? [funded(rng, families[i + 1]!, b), topic.state(rng, b, other)]
          : [topic.state(rng, b, other)],
      );
    });

    // Documents of filler until the size is reached.
    const docs: string[][][] = [];
    let length = 0;
    const targetChars = charsFor(tokens, 1200);
    const grew = progressOf(onProgress, targetChars);
    while (length < targetChars || docs.length < 7) {
      const paragraphs: string[][] = [];
      for (let p = 0, n = 2 + rng.int(3); p < n; p++) paragraphs.push(paragraphSentences(rng, script, 2, 5));
      docs.push(paragraphs);
      length += paragraphs.reduce((a, p) => a + p.reduce((b, s) => b + s.length + 1, 0), 0) + 40;
      grew(length);
    }
    // Each sentence of evidence goes into a paragraph of a document of its own, anywhere in it: the two hops
    // of a question are documents apart. The answer's first sentence sits near `at`.
    const free = docs.map((_, i) => i);
    const place = (sentence: string, where: number) => {
      const doc = docs[free.splice(Math.min(free.length - 1, Math.floor(where * free.length)), 1)[0]!]!;
      insertSentence([doc[rng.int(doc.length)]!], sentence, rng.next());
    };
    if (!withoutAnswer)
      for (const [i, sentence] of evidence.entries())
        place(sentence, i === 0 ? (at ?? rng.next()) : rng.next());
    for (const group of others) for (const sentence of group) place(sentence, rng.next());

    const titles = docs.map(() => rng.pick(TITLES));
    // With no separators, one document per line.
    const text = joinBlocks(
      docs.map((paragraphs, i) => documentText(header(i + 1, titles[i]!), paragraphs, script, layout)),
      layout.separator === 'none' ? { ...layout, separator: 'single' } : layout,
    );
    return {
      text,
      query,
      expected: withoutAnswer ? null : answer,
      truth: { question: query, facts: [{ evidence, answer }] },
    };
  },
});

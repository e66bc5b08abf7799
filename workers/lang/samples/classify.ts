/**
 * Classification by majority vote: a long collection of short news items, one per paragraph, most of them
 * on one topic. The question names four topics and asks which the collection is mostly about. The
 * collection may open with a short run on another topic; further items on other topics are spread through
 * the text; a few neutral paragraphs belong to none.
 */

import { sampleKinds } from './kinds.ts';
import { joinBlocks, pickLayout } from './layout.ts';
import { paragraph } from './prose.ts';
import { type Rng, seededRandom } from './random.ts';
import { charsFor, defineGenerator, progressOf } from './sample.ts';
import type { TruthRecord } from './truth.ts';

const TEAMS = ['Rovers', 'Harriers', 'Wanderers', 'Athletic', 'United', 'Albion'];
const COMPANIES = ['Nordlicht Energy', 'Calder Foods', 'Brightwater Bank', 'Opal Motors', 'Kestrel Air'];
const CITIES = ['Lisbon', 'Oslo', 'Kyoto', 'Lima', 'Accra', 'Perth', 'Quebec', 'Tartu'];
const SPECIES = ['frog', 'beetle', 'orchid', 'lizard', 'moss', 'bat'];

type Line = (rng: Rng) => string;
const TOPICS: Record<string, Line[]> = {
  sports: [
    (r) => `${r.pick(TEAMS)} beat ${r.pick(TEAMS)} ${r.int(5)}–${r.int(3)} in front of a full stadium.`,
    (r) => `The ${r.pick(['rugby', 'cricket', 'hockey', 'football'])} season opened with a record crowd.`,
    (_r) => 'Their captain was injured in training and will miss the cup final.',
    (r) => `After ${2 + r.int(9)} wins in a row the coach refused to talk about the title.`,
    (_r) => 'The referee’s late decision was replayed on every screen in town.',
  ],
  finance: [
    (r) => `Shares in ${r.pick(COMPANIES)} fell ${1 + r.int(15)}% after the quarterly report.`,
    (r) => `The central bank left interest rates at ${1 + r.int(6)}.${r.int(10)}%.`,
    (r) => `${r.pick(COMPANIES)} agreed to buy a rival for ${10 + r.int(900)} million.`,
    (_r) => 'Bond markets were calm as traders waited for the inflation figures.',
    (_r) => 'Analysts cut their forecasts for company earnings this year.',
  ],
  science: [
    (r) => `Researchers described a new species of ${r.pick(SPECIES)} found in a cloud forest.`,
    (_r) => 'A radio telescope recorded a burst of waves from a distant galaxy.',
    (_r) => 'The experiment measured the mass of the particle more precisely than before.',
    (r) => `The probe sent back ${100 + r.int(900)} images of the icy moon.`,
    (_r) => 'Chemists made a catalyst that splits water with sunlight.',
  ],
  travel: [
    (r) => `Flights between ${r.pick(CITIES)} and ${r.pick(CITIES)} resume next month.`,
    (r) => `The old town of ${r.pick(CITIES)} is best explored on foot.`,
    (_r) => 'Hotels on the island are fully booked for the festival.',
    (_r) => 'A night train now links the two capitals in under nine hours.',
    (_r) => 'Visitors are asked to book the museum a day ahead in summer.',
  ],
  cooking: [
    (_r) => 'Roast the squash with cumin until the edges darken.',
    (_r) => 'A spoon of miso gives the broth its depth.',
    (r) => `Knead the dough for ${5 + r.int(10)} minutes, then let it rest.`,
    (_r) => 'The chef serves the fish with pickled fennel and dill.',
  ],
};
const TOPIC_NAMES = Object.keys(TOPICS);

function item(rng: Rng, topic: string): string {
  const lines = rng.shuffle(TOPICS[topic]!);
  return lines
    .slice(0, 2 + rng.int(2))
    .map((l) => l(rng))
    .join(' ');
}

export const classifySample = defineGenerator<string>({
  ...sampleKinds.classify,
  generate({ tokens, seed, layout: given, withoutAnswer, onProgress }) {
    const rng = seededRandom(seed);
    const layout = pickLayout(rng, given);
    const named = rng.shuffle(TOPIC_NAMES).slice(0, 4);
    const [main, ...others] = rng.shuffle(named) as [string, ...string[]];
    const list = `${named.slice(0, 3).join(', ')} or ${named[3]}`;
    const query = rng.pick([
      `Which topic is this collection mostly about: ${list}?`,
      `Is most of this text about ${list}? Answer with the topic.`,
      `Classify the document by its main topic (${list}).`,
    ]);
    const target = charsFor(tokens);
    const blocks: string[] = [];
    const records: TruthRecord[] = [];
    let length = 0;
    // The collection may open with a short run on another topic (up to an eighth of it), so its first
    // pieces can be about something else; after that, items off the main topic come one at a time, with at
    // least three on it in between.
    const opening = rng.int(2) === 0 ? Math.floor(target / 220 / 8) : 0;
    let sinceOther = 0;
    let nextOther = 0;
    const grew = progressOf(onProgress, target);
    while (length < target) {
      let text: string;
      if (rng.int(8) === 0) text = paragraph(rng, 'latin', 2, 3);
      else {
        const topic =
          records.length < opening
            ? others[0]!
            : sinceOther >= 3 && rng.int(3) === 0
              ? others[nextOther++ % others.length]!
              : main;
        sinceOther = topic === main ? sinceOther + 1 : 0;
        text = item(rng, topic);
        if (!withoutAnswer) records.push({ text, fields: { label: topic } });
        else text = paragraph(rng, 'latin', 2, 3);
      }
      blocks.push(text);
      length += text.length + 2;
      grew(length);
    }
    return {
      text: joinBlocks(blocks, layout),
      query,
      expected: withoutAnswer ? null : main,
      truth: { question: query, records, categories: named, recordReply: 'majority' },
    };
  },
});

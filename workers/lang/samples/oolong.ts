/**
 * OOLONG-style aggregation: one question per line, `Q<n>: <question>`; its category follows from its first
 * word (Where → location, Who → person, How many → number, When → time). The answer is the tally of
 * categories over the whole document.
 */
import { seededRandom } from './random.ts';
import { charsFor, progressOf, type SampleGenerator } from './sample.ts';

type Category = 'location' | 'person' | 'number' | 'time';

const QUESTIONS: Record<Category, readonly string[]> = {
  location: [
    'Where is the nearest train station?',
    'Where did the expedition set up camp?',
    'Where are the old maps kept?',
    'Where does the river meet the sea?',
    'Where was the first bridge built?',
  ],
  person: [
    'Who painted the ceiling of the chapel?',
    'Who wrote the first dictionary of the dialect?',
    'Who won the regatta last summer?',
    'Who designed the town hall?',
    'Who leads the choir on Sundays?',
  ],
  number: [
    'How many moons does Jupiter have?',
    'How many bridges cross the canal?',
    'How many books are in the archive?',
    'How many players are on a rugby team?',
    'How many steps lead up to the tower?',
  ],
  time: [
    'When does the night ferry leave?',
    'When was the lighthouse first lit?',
    'When do the swallows return?',
    'When did the market move to the square?',
    'When is the harvest festival held?',
  ],
};
const CATEGORIES = Object.keys(QUESTIONS) as Category[];

export const oolongSample: SampleGenerator<Record<string, number>> = {
  name: 'oolong',
  example: 'oolong.json',
  description: 'A long list of questions; count them per category.',
  generate({ tokens, seed, onProgress }) {
    const rng = seededRandom(seed);
    const target = charsFor(tokens);
    const lines: string[] = [];
    const counts: Record<string, number> = {};
    let length = 0;
    const progress = progressOf(onProgress, target);
    for (let n = 1; length < target; n++) {
      const category = rng.pick(CATEGORIES);
      const line = `Q${n}: ${rng.pick(QUESTIONS[category])}`;
      lines.push(line);
      counts[category] = (counts[category] ?? 0) + 1;
      length += line.length + 1;
      progress(length);
    }
    return {
      text: lines.join('\n'),
      query: 'How many questions are there of each category (location, person, number, time)?',
      expected: counts,
    };
  },
  isCorrect(result, expected) {
    if (result === null || typeof result !== 'object' || Array.isArray(result)) return false;
    const got = result as Record<string, unknown>;
    const keys = new Set([...Object.keys(got), ...Object.keys(expected)]);
    for (const k of keys) if ((got[k] ?? 0) !== (expected[k] ?? 0)) return false;
    return true;
  },
};

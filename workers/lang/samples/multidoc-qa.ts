/**
 * Multi-document QA: many short documents, each opening with a line `=== Document <n>: <title> ===`,
 * separated by blank lines. One document states the fact the query asks for, early on (where a preview
 * sees it); a few others state similar facts about other places. The answer is the fact's sentence.
 */
import { paragraph } from './prose.ts';
import { type Rng, seededRandom } from './random.ts';
import { charsFor, progressOf, type SampleGenerator } from './sample.ts';

const NAMES = [
  'Halvorsen',
  'Marchetti',
  'Okonkwo',
  'Lindqvist',
  'Ferreira',
  'Nakamura',
  'Dubois',
  'Kowalski',
];
const PLACES = ['observatory', 'library', 'academy', 'lighthouse', 'brewery', 'conservatory', 'infirmary'];
const EVENTS = ['founded', 'rebuilt', 'opened', 'restored', 'expanded'];
const TITLES = [
  'Notes from the valley',
  'A walk by the coast',
  'Letters from a farm',
  'Morning in the square',
  'The long summer',
  'Stories of the mill',
  'A visit to the islands',
  'Evenings at the inn',
];

interface Fact {
  name: string;
  place: string;
  event: string;
  year: number;
}

function distinctFacts(rng: Rng, n: number): Fact[] {
  const take = <T>(pool: T[]): T => pool.splice(rng.int(pool.length), 1)[0]!;
  const names = [...NAMES];
  const places = [...PLACES];
  const events = [...EVENTS];
  const out: Fact[] = [];
  for (let i = 0; i < n; i++)
    out.push({ name: take(names), place: take(places), event: take(events), year: 1700 + rng.int(300) });
  return out;
}

const statement = (f: Fact) => `The ${f.name} ${f.place} was ${f.event} in ${f.year}.`;

function documentBody(rng: Rng, fact: Fact | undefined): string {
  const lines = [paragraph(rng, 4, 8), paragraph(rng, 3, 6)];
  if (fact) {
    // Early in the document, where a short preview still sees it.
    const first = lines[0]!.split(/(?<=\.) /);
    first.splice(Math.min(first.length, rng.int(3)), 0, statement(fact));
    lines[0] = first.join(' ');
  }
  return lines.join('\n');
}

export const multidocQaSample: SampleGenerator<string> = {
  name: 'multidoc-qa',
  example: 'multidoc-qa.json',
  description: 'Many short documents; one states the fact the question asks for.',
  generate({ tokens, seed, onProgress }) {
    const rng = seededRandom(seed);
    const target = charsFor(tokens, 1200);
    const bodies: string[] = [];
    // Header and separator take about 30 characters; the margin covers bodies rewritten with a fact.
    let length = 0;
    const progress = progressOf(onProgress, target);
    while (length < target + 600 || bodies.length < 3) {
      const b = documentBody(rng, undefined);
      bodies.push(b);
      length += b.length + 30;
      progress(length);
    }
    const facts = distinctFacts(rng, 1 + Math.min(3, bodies.length - 1));
    const answer = facts[0]!;
    const slots = bodies.map((_, i) => i);
    for (const fact of facts) {
      const at = slots.splice(rng.int(slots.length), 1)[0]!;
      bodies[at] = documentBody(rng, fact);
    }
    const text = bodies
      .map((body, i) => `=== Document ${i + 1}: ${rng.pick(TITLES)} ===\n${body}`)
      .join('\n\n');
    return {
      text,
      query: `In which year was the ${answer.name} ${answer.place} ${answer.event}?`,
      expected: statement(answer),
    };
  },
  isCorrect(result, expected) {
    return typeof result === 'string' && result.trim() === expected;
  },
};

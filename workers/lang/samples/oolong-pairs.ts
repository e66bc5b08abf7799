/**
 * OOLONG-Pairs: one user per line, `User <id> | city: <city> | hobby: <hobby>`. The query names a hobby;
 * the answer is every pair (i < j, in document order) of users who have it. The hobby asked about is
 * rare (4 to 12 users at any size) so the pair count stays readable.
 */
import { seededRandom } from './random.ts';
import { charsFor, progressOf, type SampleGenerator } from './sample.ts';

const CITIES = ['Lisbon', 'Oslo', 'Kyoto', 'Lima', 'Accra', 'Perth', 'Quebec', 'Tartu', 'Bergen', 'Porto'];
const HOBBIES = ['chess', 'pottery', 'birdwatching', 'rowing', 'origami', 'fencing', 'beekeeping', 'archery'];

export const oolongPairsSample: SampleGenerator<[string, string][]> = {
  name: 'oolong-pairs',
  example: 'oolong-pairs.json',
  description: 'A long list of users; every pair of users who share the hobby asked about.',
  generate({ tokens, seed, onProgress }) {
    const rng = seededRandom(seed);
    const hobby = rng.pick(HOBBIES);
    const others = HOBBIES.filter((h) => h !== hobby);
    const target = charsFor(tokens);
    const lines: string[] = [];
    let length = 0;
    let id = 100 + rng.int(900);
    const progress = progressOf(onProgress, target);
    while (length < target) {
      const line = `User ${id} | city: ${rng.pick(CITIES)} | hobby: ${rng.pick(others)}`;
      lines.push(line);
      length += line.length + 1;
      id += 1 + rng.int(5);
      progress(length);
    }
    const wanted = Math.min(lines.length, 4 + rng.int(9));
    const chosen = new Set<number>();
    while (chosen.size < wanted) chosen.add(rng.int(lines.length));
    const ids: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (!chosen.has(i)) continue;
      lines[i] = lines[i]!.replace(/hobby: .*$/, `hobby: ${hobby}`);
      ids.push(lines[i]!.split(' ')[1]!);
    }
    const expected: [string, string][] = [];
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) expected.push([ids[i]!, ids[j]!]);
    return { text: lines.join('\n'), query: hobby, expected };
  },
  isCorrect(result, expected) {
    if (!Array.isArray(result) || result.length !== expected.length) return false;
    return result.every(
      (p, i) => Array.isArray(p) && String(p[0]) === expected[i]![0] && String(p[1]) === expected[i]![1],
    );
  },
};

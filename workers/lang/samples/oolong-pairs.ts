/**
 * OOLONG-Pairs: a long dump of TREC-style questions, one per line, each asked by a user (a user asks
 * several). The question, worded as OOLONG-Pairs words its twenty, asks for every pair of users that meets
 * a condition on the labels of their questions: both asked one of the named labels, or one asked one label
 * and the other another. The answer is the set of pairs (lower id first).
 */

import { sampleKinds } from './kinds.ts';
import { pickLayout, withNewlines } from './layout.ts';
import { type Rng, seededRandom } from './random.ts';
import { charsFor, defineGenerator, progressOf } from './sample.ts';
import { recordLine, TREC_LABELS, type TrecLabel, trecQuestion } from './trec.ts';
import type { TruthRecord } from './truth.ts';

export type UserPair = [string, string];

interface Condition {
  query: string;
  first: TrecLabel[];
  second: TrecLabel[];
}

const q = (label: string) => `'${label}'`;

function pickCondition(rng: Rng): Condition {
  const [a, b] = rng.shuffle(TREC_LABELS);
  const opening = rng.pick([
    'In the data above, list all pairs of user IDs (lower ID first)',
    'Which pairs of users qualify? List each pair of IDs',
    'List every pair of distinct users',
  ]);
  switch (rng.int(3)) {
    case 0:
      return {
        query: `${opening} where both users asked at least one question labelled ${q(a!)}.`,
        first: [a!],
        second: [a!],
      };
    case 1:
      return {
        query: `${opening} where both users have at least one question labelled ${q(a!)} or ${q(b!)}.`,
        first: [a!, b!],
        second: [a!, b!],
      };
    default:
      return {
        query: `${opening} where one user asked a question labelled ${q(a!)} and the other a question labelled ${q(b!)}.`,
        first: [a!],
        second: [b!],
      };
  }
}

/** Every pair of distinct users meeting the condition, lower id first, in order. */
export function pairsMeeting(
  labelsByUser: Map<string, Set<string>>,
  first: readonly string[],
  second: readonly string[],
): UserPair[] {
  const has = (user: string, labels: readonly string[]) => labels.some((l) => labelsByUser.get(user)?.has(l));
  const users = [...labelsByUser.keys()].sort();
  const out: UserPair[] = [];
  for (let i = 0; i < users.length; i++)
    for (let j = i + 1; j < users.length; j++) {
      const [u, v] = [users[i]!, users[j]!];
      if ((has(u, first) && has(v, second)) || (has(u, second) && has(v, first))) out.push([u, v]);
    }
  return out;
}

export const oolongPairsSample = defineGenerator<UserPair[]>({
  ...sampleKinds['oolong-pairs'],
  generate({ tokens, seed, layout: given, withoutAnswer, onProgress }) {
    const rng = seededRandom(seed);
    const layout = pickLayout(rng, given);
    const format = rng.int(3) === 0 ? 'csv' : 'oolong';
    const condition = pickCondition(rng);
    const named = new Set<string>([...condition.first, ...condition.second]);
    const target = charsFor(tokens);
    // Users ask about three questions each; the named labels are rare, so the pairs stay countable.
    const users: string[] = [];
    const userCount = Math.max(12, Math.round(target / 85 / 3));
    const taken = new Set<string>();
    while (users.length < userCount) {
      const id = String(10_000 + rng.int(90_000));
      if (!taken.has(id)) {
        taken.add(id);
        users.push(id);
      }
    }
    const common = TREC_LABELS.filter((l) => !named.has(l));
    const rare = [...named] as TrecLabel[];
    const records: TruthRecord[] = [];
    const labelsByUser = new Map<string, Set<string>>();
    const add = (user: string, label: TrecLabel) => {
      const text = recordLine(rng, format, records.length + 1, user, trecQuestion(rng, label));
      records.push({ text, fields: { user, label } });
      if (!labelsByUser.has(user)) labelsByUser.set(user, new Set());
      labelsByUser.get(user)!.add(label);
      return text.length + 1;
    };
    const grew = progressOf(onProgress, target);
    for (let length = 0; length < target; grew(length)) {
      const user = rng.pick(users);
      const label = !withoutAnswer && rng.int(90) === 0 ? rng.pick(rare) : rng.pick(common);
      length += add(user, label);
    }
    // Small documents still get a few users on each side of the condition.
    if (!withoutAnswer)
      for (const side of [condition.first, condition.second]) {
        while ([...labelsByUser.values()].filter((s) => side.some((l) => s.has(l))).length < 2)
          add(rng.pick(users), rng.pick(side));
      }
    // The order of lines is the users' order of asking, not of adding.
    const order = rng.shuffle(records);
    const gap = layout.separator === 'blank' ? '\n\n' : '\n';
    const expected = pairsMeeting(labelsByUser, condition.first, condition.second);
    return {
      text: withNewlines(order.map((r) => r.text).join(gap), layout),
      query: condition.query,
      expected,
      truth: {
        question: condition.query,
        records: order,
        categories: rare,
        recordReply: 'records',
        facts: [
          { evidence: [condition.query], answer: { first: condition.first, second: condition.second } },
        ],
      },
    };
  },
});

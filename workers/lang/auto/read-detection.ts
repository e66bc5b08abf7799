/**
 * Reading the detection call's reply, strictly: a JSON object `{"family": KIND}` or the bare name of one
 * family (a model without structured output), nothing else. Anything else is a typed failure that says
 * what came back, so the user picks the family; a guess is never presented as the model's answer.
 */
import { stripThink } from '../run/think.ts';
import type { TaskFamily } from '../samples/sample.ts';
import { isTaskFamily, TASK_FAMILY_IDS } from './families.ts';

export interface DetectionFailure {
  kind: 'DetectionFailed';
  message: string;
  /** The model's reply, as text (shown, never interpreted further). */
  reply: string;
}

export type DetectionReading = { ok: true; family: TaskFamily } | { ok: false; error: DetectionFailure };

const shorten = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

function bare(text: string): string {
  return text
    .trim()
    .replace(/^["'`]+|["'`.]+$/g, '')
    .trim()
    .toLowerCase();
}

export function readDetection(reply: string): DetectionReading {
  const text = stripThink(reply).trim();
  const fail = (why: string): DetectionReading => ({
    ok: false,
    error: {
      kind: 'DetectionFailed',
      message: `The model's reply does not name a task kind (${why}): ${JSON.stringify(shorten(text))}. Pick the kind yourself.`,
      reply: text,
    },
  });
  if (text === '') return fail('it is empty');
  if (text.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return fail('it is not valid JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('not an object');
    const keys = Object.keys(value);
    const family = (value as Record<string, unknown>).family;
    if (keys.length !== 1 || keys[0] !== 'family') return fail('expected exactly the property "family"');
    if (typeof family !== 'string') return fail('"family" is not a string');
    const name = bare(family);
    return isTaskFamily(name)
      ? { ok: true, family: name }
      : fail(`"${family}" is not one of ${TASK_FAMILY_IDS.join(', ')}`);
  }
  const name = bare(text);
  return isTaskFamily(name)
    ? { ok: true, family: name }
    : fail(`expected one of ${TASK_FAMILY_IDS.join(', ')}`);
}

/**
 * A task family's template: its example plan (public/examples/, read through the plan loader like any
 * plan file) with the user's question as its query and no sample input, so it runs on the user's
 * document. The caller reads the file (`fetch` in the page, the file system in Node): the language does
 * no I/O. The result is an ordinary plan, editable like any other.
 */
import type { Diagnostic } from '../check/diagnostics.ts';
import { loadPlan } from '../format/load.ts';
import { PLAN_LIMITS, type Plan } from '../format/plan.ts';
import type { TaskFamily } from '../samples/sample.ts';
import { taskFamilyInfo } from './families.ts';

export type Instantiated = { ok: true; plan: Plan } | { ok: false; diagnostics: Diagnostic[] };

/** `exampleDocument` is the JSON of `taskFamilyInfo(family).example`, untrusted like any plan file. */
export function instantiate(family: TaskFamily, question: string, exampleDocument: unknown): Instantiated {
  const asked = question.trim();
  if (asked === '')
    return {
      ok: false,
      diagnostics: [{ code: 'schema', severity: 'error', message: 'The question is empty.' }],
    };
  if (asked.length > PLAN_LIMITS.maxTextLength)
    return {
      ok: false,
      diagnostics: [
        {
          code: 'schema',
          severity: 'error',
          message: `The question is ${asked.length} characters; a plan's query holds at most ${PLAN_LIMITS.maxTextLength}.`,
        },
      ],
    };
  const loaded = loadPlan(exampleDocument);
  if (!loaded.ok) return loaded;
  const info = taskFamilyInfo(family);
  const template = loaded.plan;
  const plan: Plan = {
    ...template,
    query: asked,
    // The example's sample document is not the user's: the run reads the document it is given.
    input: {},
    description: `${info.label}, from the example ${info.example}. ${template.description}`.slice(
      0,
      PLAN_LIMITS.maxTextLength,
    ),
  };
  return { ok: true, plan };
}

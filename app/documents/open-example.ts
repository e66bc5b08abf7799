/**
 * Opening an example: its plan as a new document, with its input ready to run (`plan-input.ts`). The first
 * visit opens the gallery's first example this way.
 */
import type { Plan } from '../../workers/lang/index.ts';
import { shareParam } from '../../workers/lang/index.ts';
import { useDocument } from '../store/document.ts';
import { type ExampleEntry, listExamples, loadExample } from './plan-files.ts';
import { type PreparedInput, preparePlanInput } from './plan-input.ts';

/** Opens an example as a new document (the open one stays in the recent list) with its input ready. */
export async function openExample(entry: ExampleEntry): Promise<PreparedInput> {
  const plan = await loadExample(entry);
  useDocument.getState().openDocument(plan);
  return preparePlanInput(plan);
}

/** The plan a first visit opens: the gallery's first example, unless the address carries a share link. */
export async function firstVisitPlan(hash: string): Promise<Plan | null> {
  if (shareParam(hash) !== null) return null;
  const [first] = await listExamples();
  return first ? loadExample(first) : null;
}

/**
 * Import, export and the example gallery. Files and examples are untrusted: they go through the same
 * gate as a share link (`parsePlanFile`: size, JSON depth, schema, known kinds, migrations). A file that
 * fails leaves the open document as it was.
 */

import type { Plan } from '../../workers/lang/index.ts';
import { exportPlanFile, parsePlanFile, planFileName } from '../../workers/lang/index.ts';
import { useDocument } from '../store/document.ts';
import { heldSecrets } from '../store/settings.ts';
import { KEPT_INPUT_NOTE, preparePlanInput } from './plan-input.ts';

export interface ExampleEntry {
  file: string;
  name: string;
  description: string;
}

export type Outcome = { ok: true; message: string } | { ok: false; message: string };

/** Opens a plan file as a new document (the current one stays saved, in the recent list). */
export async function importPlanFile(file: File): Promise<Outcome> {
  let bytes: Uint8Array;
  try {
    // Bytes, not text: the plan-file reader decodes them as the CLI does (UTF-8 or UTF-16, a BOM dropped).
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    return { ok: false, message: `“${file.name}” could not be read: ${String(e)}` };
  }
  const r = parsePlanFile(bytes);
  if (!r.ok) return { ok: false, message: `“${file.name}” was not opened. ${r.error}` };
  useDocument.getState().openDocument(r.plan);
  const input = preparePlanInput(r.plan);
  const migrated = r.migratedFrom !== undefined ? ` (updated from format version ${r.migratedFrom})` : '';
  const kept = input === 'kept' ? ` ${KEPT_INPUT_NOTE}` : '';
  return { ok: true, message: `Opened “${r.plan.name}” from ${file.name}${migrated}.${kept}` };
}

/** Downloads the open plan as `.fixpoint.json`. Refuses (with the reason) if an API key is in it. */
export function exportCurrentPlan(): Outcome {
  const plan = useDocument.getState().plan;
  let text: string;
  try {
    text = exportPlanFile(plan, { secrets: heldSecrets() });
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  download(planFileName(plan), text, 'application/json');
  return { ok: true, message: `Exported ${planFileName(plan)}.` };
}

export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const examplesBase = `${import.meta.env.BASE_URL}examples/`;

export async function listExamples(): Promise<ExampleEntry[]> {
  const res = await fetch(`${examplesBase}index.json`);
  if (!res.ok) throw new Error(`the example list could not be loaded (HTTP ${res.status})`);
  const raw: unknown = await res.json();
  if (!Array.isArray(raw)) throw new Error('the example list is malformed');
  return raw.filter(
    (e): e is ExampleEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof e.file === 'string' &&
      /^[a-z0-9-]+\.json$/.test(e.file) &&
      typeof e.name === 'string',
  );
}

export async function loadExample(entry: ExampleEntry): Promise<Plan> {
  const res = await fetch(`${examplesBase}${entry.file}`);
  if (!res.ok) throw new Error(`${entry.file} could not be loaded (HTTP ${res.status})`);
  const r = parsePlanFile(await res.text());
  if (!r.ok) throw new Error(`${entry.file}: ${r.error}`);
  return r.plan;
}

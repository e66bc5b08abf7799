/**
 * Export and import of run logs as JSON Lines (workers/lang/format/trace-file.ts reads and writes the format).
 * An export never carries an API key: the keys the page holds are searched for and redacted first.
 */
import type { TraceEvent } from '../../../workers/lang/index.ts';
import { exportTrace, type TraceFileResult } from '../../../workers/lang/index.ts';
import { addImportedRun, type RunRecord } from '../../store/runSession.ts';
import { heldSecrets } from '../../store/settings.ts';
import { oneShotWorker } from './oneShotWorker.ts';

export function exportFileName(record: RunRecord, extension = 'jsonl'): string {
  const safe =
    record.label
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'run';
  return `${safe}.${record.runId.replace(/[^A-Za-z0-9._-]+/g, '-')}.${extension}`;
}

/** The log as a `.jsonl` body, with any secret the page holds redacted, and how many were. */
export function logText(events: readonly TraceEvent[]): { text: string; redacted: number } {
  return exportTrace(events, { secrets: heldSecrets() });
}

export function downloadLog(record: RunRecord): number {
  const { text, redacted } = logText(record.events);
  saveFile(text, exportFileName(record), 'application/x-ndjson');
  return redacted;
}

/** Hands the browser a file to download. */
export function saveFile(body: string | Uint8Array<ArrayBuffer>, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Parses a log file in a worker of its own (validation of a large log would block the page). */
function parseInWorker(file: File): Promise<TraceFileResult> {
  const worker = new Worker(new URL('./traceParse.worker.ts', import.meta.url), {
    type: 'module',
    name: 'fixpoint-trace-import',
  });
  return oneShotWorker<TraceFileResult>(worker, file, (message) => ({
    ok: false,
    error: `the reader failed: ${message}`,
  }));
}

/** Reads a `.jsonl` run log into the history; the error in words when it is not one. */
export async function importLogFile(
  file: File,
): Promise<{ ok: true; runId: string } | { ok: false; error: string }> {
  const parsed = await parseInWorker(file);
  if (!parsed.ok) return { ok: false, error: `${file.name} is not a run log: ${parsed.error}` };
  const label = file.name.replace(/\.jsonl?$/i, '') + (parsed.complete ? '' : ' (cut short)');
  return { ok: true, runId: addImportedRun(parsed.events, label) };
}

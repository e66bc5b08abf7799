/**
 * Export of a run as OpenTelemetry spans (an OTLP/JSON file) from the History tab. The spans are built in
 * a worker of their own (otlpExport.worker.ts), which is where the OpenTelemetry packages load: never with
 * the first screen. Like the `.jsonl` export, the file never carries an API key the page holds.
 */

import type { RunRecord } from '../../store/runSession.ts';
import { heldSecrets } from '../../store/settings.ts';
import { exportFileName, saveFile } from './logFile.ts';
import { oneShotWorker } from './oneShotWorker.ts';
import type { OtlpExportReply, OtlpExportRequest } from './otlpExport.worker.ts';

export type OtlpExportResult =
  | { ok: true; spans: number; modelCalls: number; redacted: number }
  | { ok: false; error: string };

function buildInWorker(request: OtlpExportRequest): Promise<OtlpExportReply> {
  const worker = new Worker(new URL('./otlpExport.worker.ts', import.meta.url), {
    type: 'module',
    name: 'fixpoint-otlp-export',
  });
  return oneShotWorker<OtlpExportReply>(worker, request, (message) => ({
    ok: false,
    error: `the exporter failed: ${message}`,
  }));
}

/** Downloads the run as `<label>.<run id>.otlp.json`; prompts and outputs only with `includeContent`. */
export async function downloadOtlp(record: RunRecord, includeContent: boolean): Promise<OtlpExportResult> {
  const reply = await buildInWorker({
    events: record.events,
    includeContent,
    secrets: heldSecrets(),
    // Only for a log written before runs recorded their start: the time this page saw it begin (or import it).
    fallbackStartMs: record.startedAt,
  });
  if (!reply.ok) return reply;
  saveFile(reply.bytes, exportFileName(record, 'otlp.json'), 'application/json');
  return { ok: true, spans: reply.spans, modelCalls: reply.modelCalls, redacted: reply.redacted };
}

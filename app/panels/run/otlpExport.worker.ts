/// <reference lib="webworker" />
/**
 * Builds a run's OpenTelemetry spans and their OTLP/JSON file off the page's main thread: a 10,000-call run
 * is twenty thousand spans and tens of MB of JSON, seconds of work that would freeze the page. Started only
 * when the user exports, so the OpenTelemetry packages never load with the first screen.
 */
import type { TraceEvent } from '../../../workers/lang/index.ts';
import { otlpFileFromLog } from '../../../workers/otel/index.ts';

export interface OtlpExportRequest {
  events: readonly TraceEvent[];
  includeContent: boolean;
  secrets: string[];
  fallbackStartMs: number;
}

export type OtlpExportReply =
  | { ok: true; bytes: Uint8Array<ArrayBuffer>; spans: number; modelCalls: number; redacted: number }
  | { ok: false; error: string };

self.onmessage = (e: MessageEvent<OtlpExportRequest>) => {
  let reply: OtlpExportReply;
  try {
    const { events, includeContent, secrets, fallbackStartMs } = e.data;
    const file = otlpFileFromLog(events, { includeContent, secrets, fallbackStartMs });
    // The serializer's bytes come from a TextEncoder: a fresh ArrayBuffer, transferred rather than copied.
    reply = {
      ok: true,
      bytes: file.bytes as Uint8Array<ArrayBuffer>,
      spans: file.spans,
      modelCalls: file.modelCalls,
      redacted: file.redacted,
    };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply, reply.ok ? [reply.bytes.buffer] : []);
};

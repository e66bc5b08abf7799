/**
 * A run's spans as an OTLP/JSON file: the body of an OTLP/HTTP `ExportTraceServiceRequest`, as the
 * OpenTelemetry exporters send it (`{"resourceSpans": […]}`, hex ids, nanosecond times as strings).
 * The OTLP serializer of the OpenTelemetry packages writes it; `fixpoint otlp`, `curl` or a collector can
 * send the file on to any OTLP/HTTP endpoint.
 */
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MIN_SECRET_LENGTH, type TraceEvent } from '../lang/index.ts';
import { type SpanExportOptions, spansFromLog } from './spans.ts';

/** UTF-8 bytes, ready for a file or a request body (a 10,000-call run is tens of MB: no string copy). */
export function otlpJson(spans: readonly ReadableSpan[]): Uint8Array {
  const bytes = JsonTraceSerializer.serializeRequest(spans as ReadableSpan[]);
  if (!bytes) throw new Error('the OTLP serializer gave nothing for these spans');
  return bytes;
}

export interface OtlpFile {
  bytes: Uint8Array;
  traceId: string;
  spans: number;
  calls: number;
  modelCalls: number;
  redacted: number;
}

/** The run log as an OTLP/JSON file; throws SpanExportError when the log cannot be exported. */
export function otlpFileFromLog(events: readonly TraceEvent[], options: SpanExportOptions = {}): OtlpFile {
  const run = spansFromLog(events, options);
  const bytes = otlpJson(run.spans);
  assertNoSecret(bytes, options.secrets);
  return {
    bytes,
    traceId: run.traceId,
    spans: run.spans.length,
    calls: run.calls,
    modelCalls: run.modelCalls,
    redacted: run.redacted,
  };
}

/**
 * The last guard before bytes leave (a file, a request): a secret in them is a defect, never something to
 * send. Redaction happened on the log; this looks for each secret's UTF-8 bytes in what was serialised.
 */
export function assertNoSecret(bytes: Uint8Array, secrets: readonly string[] | undefined): void {
  for (const secret of secrets ?? []) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    if (indexOfBytes(bytes, new TextEncoder().encode(secret)) >= 0)
      throw new Error('a secret was found in the spans after redaction; nothing was written or sent');
  }
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  if (first === undefined) return -1;
  for (
    let i = haystack.indexOf(first);
    i >= 0 && i + needle.length <= haystack.length;
    i = haystack.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

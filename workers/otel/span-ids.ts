/**
 * Span and trace ids derived from the run log rather than drawn at random: the same log exports to the
 * same ids whenever it is exported, so sending a run twice updates one trace instead of making two, and a
 * file and what was sent can be matched. Ids are hashes of the run id and the call id.
 */
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import { contentHash } from '../lang/index.ts';

const ZERO = /^0+$/;

/** `chars` hex characters of a hash of `parts`; never all zeros (an invalid id in OpenTelemetry). */
function hexId(chars: number, ...parts: string[]): string {
  let hex = '';
  for (let round = 0; hex.length < chars; round++) {
    const h = contentHash(`${round}|${parts.map((p) => `${p.length}:${p}`).join('|')}`);
    // Two 53-bit halves of 14 hex characters: the first of each is only ever 0 or 1, so it is left out.
    hex += h.slice(1, 14) + h.slice(15, 28);
  }
  const id = hex.slice(0, chars);
  return ZERO.test(id) ? `${id.slice(0, -1)}1` : id;
}

export function traceIdOf(runKey: string): string {
  return hexId(32, 'trace', runKey);
}

export function spanIdOf(runKey: string, ...path: string[]): string {
  return hexId(16, 'span', runKey, ...path);
}

/**
 * The tracer asks its id generator for each new span's ids; this one hands out the ids chosen for the
 * span about to start (`next`), so the SDK builds the spans and the log chooses their ids.
 */
export class LogIdGenerator implements IdGenerator {
  private traceId = '';
  private spanId = '';

  next(traceId: string, spanId: string): void {
    this.traceId = traceId;
    this.spanId = spanId;
  }

  generateTraceId(): string {
    return this.traceId;
  }

  generateSpanId(): string {
    return this.spanId;
  }
}

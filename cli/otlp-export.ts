/**
 * The CLI's OpenTelemetry export (`--otlp-*` options of `fixpoint run` and `fixpoint otlp`): a run's spans
 * (workers/otel) written to an OTLP/JSON file and/or sent to an OTLP/HTTP endpoint — an OpenTelemetry
 * Collector, Jaeger, Phoenix, Langfuse — by the OpenTelemetry exporters, as protobuf (the OTLP default,
 * and all Phoenix takes) or JSON.
 *
 * Keys: the model's API key never leaves in a span (the spans are redacted and the bytes checked), nor in a
 * header: a `--otlp-header` or an `OTEL_EXPORTER_OTLP_*HEADERS` value holding it is refused. Header values
 * (the tracing tool's own credentials) are never printed, and are redacted from the spans too.
 *
 * The OpenTelemetry packages are loaded only when a run is exported: other commands start without them.
 */
import { writeFileSync } from 'node:fs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Command } from 'cac';
import type { TraceEvent } from '../workers/lang/index.ts';
import { MIN_SECRET_LENGTH, redactSecrets } from '../workers/lang/index.ts';
import type { SpanExportOptions } from '../workers/otel/index.ts';
import { UsageError } from './io.ts';

export interface OtlpCliOptions {
  otlpEndpoint?: string;
  /** `K=V`, once or repeated. */
  otlpHeader?: string | string[];
  otlpProtocol?: string;
  otlpContent?: boolean;
  otlpFile?: string;
}

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** What the options ask for, checked. */
export interface OtlpRequest {
  /** The traces endpoint, `…/v1/traces`. */
  url?: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  includeContent: boolean;
  file?: string;
  /** `service.name` of the spans: OTEL_SERVICE_NAME when set, else `fixpoint`. */
  serviceName: string;
  /** Strings never to export: the model's key and the header values. */
  secrets: string[];
}

/** Spans per request: the batch size of the SDK's own batch processor. */
const SPANS_PER_REQUEST = 512;

export function addOtlpOptions(command: Command): Command {
  return command
    .option('--otlp-endpoint <url>', 'Send the run as OpenTelemetry spans to this OTLP/HTTP endpoint')
    .option('--otlp-header <K=V>', 'A header for the OTLP endpoint (repeat for more)')
    .option('--otlp-protocol <p>', 'http/protobuf (default) or http/json')
    .option('--otlp-file <file>', 'Write the spans as an OTLP/JSON file')
    .option('--otlp-content', 'Put prompts, outputs and values on the spans (off by default)');
}

/**
 * The export the options ask for, or undefined when they ask for none; a UsageError for a bad one. `env` is
 * read for the OpenTelemetry header variables the exporter also reads, to refuse one holding the key.
 */
export function otlpRequest(
  options: OtlpCliOptions,
  env: Record<string, string | undefined>,
  /** The model's API key, or every endpoint's. */
  apiKey: string | readonly string[] | undefined,
): OtlpRequest | undefined {
  const { otlpEndpoint, otlpFile } = options;
  const headerArgs = [options.otlpHeader ?? []].flat().map(String);
  if (otlpEndpoint === undefined && otlpFile === undefined) {
    if (headerArgs.length > 0 || options.otlpContent || options.otlpProtocol !== undefined)
      throw new UsageError('the --otlp-* options need --otlp-endpoint URL or --otlp-file FILE');
    return undefined;
  }
  const protocol = (options.otlpProtocol ?? 'http/protobuf') as OtlpProtocol;
  if (!OTLP_PROTOCOLS.includes(protocol))
    throw new UsageError(
      `--otlp-protocol must be ${OTLP_PROTOCOLS.join(' or ')}, got "${options.otlpProtocol}"`,
    );
  if (typeof otlpFile === 'string' && otlpFile === '') throw new UsageError('--otlp-file needs a file name');
  const headers: Record<string, string> = {};
  for (const arg of headerArgs) {
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq).trim() : '';
    // An HTTP header name is a token (RFC 9110): no spaces, no separators.
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new UsageError(`--otlp-header takes NAME=VALUE, got "${eq > 0 ? arg.slice(0, eq) : arg}"`);
    headers[name] = arg.slice(eq + 1).trim();
  }
  // The exporter adds these variables' headers itself (the way to pass a tracing tool's credentials
  // without a command line that ends up in shell history): their values are secrets here too.
  const envHeaderValues = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'].flatMap((v) =>
    (env[v] ?? '')
      .split(',')
      .map((pair) => safeDecode(pair.slice(pair.indexOf('=') + 1).trim()))
      .filter((value) => value !== ''),
  );
  const sent = [...Object.values(headers), ...envHeaderValues];
  const modelKeys = [apiKey ?? []].flat().filter((k) => k !== '');
  if (modelKeys.some((key) => sent.some((v) => v.includes(key))))
    throw new UsageError("an OTLP header holds the model's API key: it is never sent to a tracing endpoint");
  const request: OtlpRequest = {
    headers,
    protocol,
    includeContent: options.otlpContent === true,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'fixpoint',
    secrets: [...modelKeys, ...sent].filter(
      (s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH,
    ),
  };
  if (otlpEndpoint !== undefined) request.url = tracesUrl(otlpEndpoint);
  if (otlpFile !== undefined) request.file = otlpFile;
  return request;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The traces endpoint for what the user gave: the full `…/v1/traces`, or a base to which it is added
 * (as OTEL_EXPORTER_OTLP_ENDPOINT is treated): http://localhost:4318, Langfuse's …/api/public/otel.
 */
export function tracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--otlp-endpoint must be an http(s) URL, got "${endpoint}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--otlp-endpoint must be an http(s) URL, got "${url.protocol}"`);
  if (!/\/v1\/traces\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

/** The endpoint as it may be printed: no credentials, no query. */
export function shownUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** Keeps what an export reads of a run's log as it happens (streamed text is left out: leaf.done has it). */
export class OtlpCollector {
  readonly events: TraceEvent[] = [];

  push(event: TraceEvent): void {
    if (event.type !== 'leaf.delta') this.events.push(event);
  }
}

export interface OtlpExportContext {
  stderr: { write(text: string): unknown };
  /** For a log that does not say when its run started. */
  fallbackStartMs?: number;
  serviceVersion?: string;
}

/**
 * Writes and/or sends the run's spans; one line on stderr for each. False when either failed (said in
 * words); the spans are never partly written.
 */
export async function exportOtlp(
  events: readonly TraceEvent[],
  request: OtlpRequest,
  context: OtlpExportContext,
): Promise<boolean> {
  const { assertNoSecret, otlpJson, spansFromLog } = await import('../workers/otel/index.ts');
  const say = (line: string) => context.stderr.write(`${redactSecrets(line, request.secrets).value}\n`);
  const options: SpanExportOptions = {
    includeContent: request.includeContent,
    secrets: request.secrets,
    serviceName: request.serviceName,
  };
  if (context.fallbackStartMs !== undefined) options.fallbackStartMs = context.fallbackStartMs;
  if (context.serviceVersion !== undefined) options.serviceVersion = context.serviceVersion;
  let run: { spans: ReadableSpan[]; traceId: string };
  try {
    run = spansFromLog(events, options);
  } catch (error) {
    say(`OpenTelemetry: cannot export this run: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
  let ok = true;
  if (request.file !== undefined) {
    try {
      const bytes = otlpJson(run.spans);
      assertNoSecret(bytes, request.secrets);
      writeFileSync(request.file, bytes);
      say(`OpenTelemetry: ${run.spans.length} spans (trace ${run.traceId}) written to ${request.file}`);
    } catch (error) {
      say(
        `OpenTelemetry: cannot write ${request.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
      ok = false;
    }
  }
  if (request.url !== undefined) {
    const sent = await sendSpans(run.spans, request);
    if (sent === null)
      say(`OpenTelemetry: ${run.spans.length} spans (trace ${run.traceId}) sent to ${shownUrl(request.url)}`);
    else {
      say(`OpenTelemetry: could not send the spans to ${shownUrl(request.url)}: ${sent}`);
      ok = false;
    }
  }
  return ok;
}

/** Null when every span was accepted, else what went wrong in words. */
async function sendSpans(spans: ReadableSpan[], request: OtlpRequest): Promise<string | null> {
  const { assertNoSecret, otlpJson } = await import('../workers/otel/index.ts');
  const config = { url: request.url as string, headers: request.headers, timeoutMillis: 30_000 };
  const exporter =
    request.protocol === 'http/json'
      ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(config)
      : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(config);
  try {
    for (let i = 0; i < spans.length; i += SPANS_PER_REQUEST) {
      const batch = spans.slice(i, i + SPANS_PER_REQUEST);
      // The bytes the exporter will send are the serializer's; the spans were redacted, and this checks it.
      assertNoSecret(otlpJson(batch), request.secrets);
      const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
        exporter.export(batch, resolve),
      );
      if (result.code !== 0) return describeFailure(result.error);
    }
    return null;
  } finally {
    await exporter.shutdown().catch(() => undefined);
  }
}

function describeFailure(error: Error | undefined): string {
  if (!error) return 'the exporter gave up';
  const status = (error as { code?: unknown }).code;
  const data = (error as { data?: unknown }).data;
  const body = typeof data === 'string' && data.trim() !== '' ? ` (${data.trim().slice(0, 200)})` : '';
  return `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${error.message}${body}`;
}

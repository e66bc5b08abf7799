/**
 * TEST DOUBLE: an OTLP/HTTP trace receiver on 127.0.0.1, standing in for an OpenTelemetry Collector,
 * Jaeger, Phoenix or Langfuse (none can be installed here). It takes `POST /v1/traces` (or the path it is
 * given) as OTLP/JSON (`application/json`) or protobuf (`application/x-protobuf`), decodes every request
 * with decode.ts, keeps what it received (headers, bytes, spans), and answers as the OTLP/HTTP spec says:
 * 200 with an empty response in the request's encoding, 400 for a body it cannot decode, 415 for another
 * content type, 404 for another path. It can be told to answer the first requests with an error status.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeOtlpJson, decodeOtlpProtobuf, type ReceivedScopeSpans, type ReceivedSpan } from './decode.ts';

export interface ReceivedRequest {
  path: string;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The decoded request; empty when it was refused. */
  batches: ReceivedScopeSpans[];
  /** Status answered. */
  status: number;
  /** Why it was refused, when it was. */
  problem?: string;
}

export interface OtlpReceiverOptions {
  /** Only this path is a trace endpoint (default `/v1/traces`). */
  path?: string;
  /** Answer the first `count` requests with `status` (e.g. 503, which exporters retry), the rest normally. */
  failFirst?: { count: number; status: number };
}

export interface OtlpReceiver {
  /** Base URL, e.g. http://127.0.0.1:40123 (the trace endpoint is this plus the path). */
  url: string;
  requests: ReceivedRequest[];
  /** Every span of every accepted request, in arrival order. */
  spans(): ReceivedSpan[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const path = options.path ?? '/v1/traces';
  let failures = options.failFirst?.count ?? 0;
  const requests: ReceivedRequest[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    const record: ReceivedRequest = {
      path: req.url ?? '',
      contentType: contentType ?? '',
      headers: { ...req.headers },
      body,
      batches: [],
      status: 200,
    };
    requests.push(record);
    const answer = (status: number, type: string, payload: string | Uint8Array, problem?: string) => {
      record.status = status;
      if (problem !== undefined) record.problem = problem;
      res.writeHead(status, { 'content-type': type });
      res.end(payload);
    };
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path)
      return answer(404, 'text/plain', 'not found', `${req.method} ${req.url}`);
    if (failures > 0 && options.failFirst) {
      failures--;
      return answer(options.failFirst.status, 'text/plain', 'try again', 'told to fail');
    }
    const json = contentType === 'application/json';
    if (!json && contentType !== 'application/x-protobuf')
      return answer(415, 'text/plain', `unsupported content type ${contentType}`, 'content type');
    try {
      record.batches = json ? decodeOtlpJson(body.toString('utf8')) : decodeOtlpProtobuf(body);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      return answer(400, json ? 'application/json' : 'application/x-protobuf', new Uint8Array(), problem);
    }
    // An empty ExportTraceServiceResponse: `{}` in JSON, no bytes in protobuf.
    return json
      ? answer(200, 'application/json', '{}')
      : answer(200, 'application/x-protobuf', new Uint8Array());
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans: () => requests.flatMap((r) => r.batches.flatMap((b) => b.spans)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * TEST DOUBLE: a scripted OpenAI-compatible server on 127.0.0.1, standing in for a remote model in tests,
 * end-to-end specs and benchmarks. It speaks `/v1/chat/completions` (SSE streaming and plain JSON),
 * `/v1/models` and `/tokenize` (vLLM's and llama.cpp's shapes), and answers as the scripted model of
 * `completion.ts` and `reader.ts` does: from the samples' ground truth, given out of band through
 * `configure` or the test-only endpoint `POST /__scripted/configure` (never through a prompt); a prompt
 * over its window gets vLLM's (or llama.cpp's) context-length error. It can be told to be slow or to fail:
 * latency per request and per token, and faults injected by rate (seeded) or by schedule.
 *
 * Faults, as a real server or network shows them:
 * - `429`        rate limited, with Retry-After
 * - `500`        server error
 * - `hang`       headers never come; the client must time out
 * - `malformed`  a stream (or body) with a chunk that is not JSON
 * - `truncated`  the answer stops half-way, cleanly ended, with no finish_reason and no [DONE]
 * - `reset`      the socket is destroyed half-way through the answer
 * - `slow`       a correct answer, streamed slowly (`slowTokenMs` per token)
 *
 * And as a server under load or going away: `rateLimit` (requests and tokens per window, enforced with 429s
 * and reported in `x-ratelimit-*` headers, rate-limit.ts), `slots` (at most that many answers at once, the
 * rest wait, like a GPU server's batch), and `stopAfter` (the server stops, as if killed, when the chat
 * request after that many arrives: open connections are reset, new ones refused).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '../../workers/lang/samples/random.ts';
import type { GroundTruth } from '../../workers/lang/samples/truth.ts';
import { type ContextErrorStyle, scriptedCompletion } from './completion.ts';
import { type ScriptedRateLimit, ScriptedRateLimiter } from './rate-limit.ts';
import type { Basis } from './reader.ts';
import { scriptedPromptTokens, scriptedTokenCount } from './tokenizer.ts';

export interface ScriptedMessage {
  role: string;
  content: string;
}

/** The test-only endpoint through which a test hands the server ground truth (and other settings). */
export const CONFIGURE_PATH = '/__scripted/configure';

export const FAULT_KINDS = ['429', '500', 'hang', 'malformed', 'truncated', 'reset', 'slow'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const SCRIPTED_MODELS = ['fixpoint-scripted', 'qwen3-scripted'] as const;
export const DEFAULT_SCRIPTED_MODEL = SCRIPTED_MODELS[0];

export interface ScriptedServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Delay before every answer, in ms. */
  latencyMs?: number;
  /** Delay per generated token, in ms (between stream chunks; summed before a plain JSON answer). */
  tokenLatencyMs?: number;
  /** Faults drawn at this rate (0..1) among `kinds`, from a seeded generator. */
  faults?: { rate: number; kinds?: readonly FaultKind[]; seed?: number };
  /** Faults by chat request index (0-based); `null` is a normal answer. When non-empty, replaces `faults`. */
  schedule?: readonly (FaultKind | null)[];
  /** Seconds sent in Retry-After with a 429 (default 0). */
  retryAfterSeconds?: number;
  /** Per-token delay of the `slow` fault (default 100 ms). */
  slowTokenMs?: number;
  /** The models listed and accepted; others get a 404 like vLLM's. */
  models?: readonly string[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>`, else 401. */
  apiKey?: string;
  /** Send the usage chunk when the client asks for it (default true). */
  usage?: boolean;
  /** Send CORS headers (default true). Off, a browser refuses the answers: for the CORS-failure path. */
  cors?: boolean;
  /**
   * Paths answered without CORS headers although `cors` is on, e.g. `['/v1/models']`: a server that lets the
   * browser chat but not list its models.
   */
  noCorsPaths?: readonly string[];
  /** The samples' ground truth the model answers from (see reader.ts). */
  truth?: readonly GroundTruth[];
  /** What the model answers when the evidence is missing (default NOT_FOUND). */
  sentinel?: string;
  /** The models' window in tokens, listed as `max_model_len` (default 8192). */
  contextWindow?: number;
  /** Whose context-length error to imitate (default vLLM's). */
  contextErrors?: ContextErrorStyle;
  /** Enforce a rate limit (a sliding window; see rate-limit.ts). */
  rateLimit?: ScriptedRateLimit;
  /** Answer at most this many chat requests at once; the others wait their turn. */
  slots?: number;
  /** Stop (reset open connections, refuse new ones) when the chat request after this many arrives. */
  stopAfter?: number;
}

/** What the configure endpoint accepts (JSON): ground truth and the settings a browser test may change. */
const CONFIGURABLE = [
  'truth',
  'sentinel',
  'contextWindow',
  'contextErrors',
  'latencyMs',
  'tokenLatencyMs',
] as const;

export interface ScriptedRequest {
  /** Order of arrival among all requests. */
  index: number;
  method: string;
  path: string;
  /** For chat requests: */
  model?: string;
  stream?: boolean;
  messages?: ScriptedMessage[];
  maxTokens?: number;
  body?: Record<string, unknown>;
  authorization?: string;
  /** The fault served, if any. */
  fault: FaultKind | null;
  /** What the answer was made from (chat requests served normally), or `too-long` when refused. */
  basis?: Basis | 'too-long';
  /** The answer as sent (before a fault cuts it), for tests that check what the page shows. */
  answer?: string;
  /** Refused by the rate limit (a 429 of `rateLimit`, not an injected fault). */
  limited?: boolean;
}

export interface ScriptedServer {
  /** Base URL with `/v1`, e.g. `http://127.0.0.1:43121/v1`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order of arrival. */
  readonly requests: readonly ScriptedRequest[];
  /** Chat completion requests only. */
  chatRequests(): ScriptedRequest[];
  /** Change latency, faults, schedule… for the requests that follow. */
  configure(options: Omit<ScriptedServerOptions, 'port' | 'host'>): void;
  /** Back to the options it was started with, log cleared: between tests sharing one server. */
  reset(): void;
  clearLog(): void;
  /** Requests refused by `rateLimit` since it was configured (a client pacing itself right makes none). */
  rateLimitViolations(): number;
  /** Whether `stopAfter` has stopped it. */
  readonly stopped: boolean;
  close(): Promise<void>;
}

export async function startScriptedServer(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  let opts: ScriptedServerOptions = { ...options };
  let random = seeded(opts.faults?.seed ?? 1);
  const requests: ScriptedRequest[] = [];
  let chatIndex = 0;
  const sockets = new Set<Socket>();
  /** The path each response answers, for its CORS headers. */
  const pathOf = new WeakMap<ServerResponse, string>();
  let limiter = opts.rateLimit && new ScriptedRateLimiter(opts.rateLimit);
  let chatArrivals = 0;
  let stopped = false;
  let busy = 0;
  const waiting: (() => void)[] = [];

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json', ...corsHeaders(res) });
        res.end(JSON.stringify({ error: { message: 'scripted server failed' } }));
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function corsHeaders(res: ServerResponse): Record<string, string> {
    if (opts.cors === false) return {};
    if (opts.noCorsPaths?.includes(pathOf.get(res) ?? '')) return {};
    return {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, accept',
      'access-control-expose-headers':
        'retry-after, retry-after-ms, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens',
      'access-control-max-age': '600',
    };
  }

  function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...corsHeaders(res), ...extra });
    res.end(JSON.stringify(body));
  }

  function pickFault(index: number): FaultKind | null {
    if (opts.schedule && opts.schedule.length > 0) return opts.schedule[index] ?? null;
    const f = opts.faults;
    if (!f || f.rate <= 0) return null;
    const kinds = f.kinds && f.kinds.length > 0 ? f.kinds : FAULT_KINDS;
    if (random() >= f.rate) return null;
    return kinds[Math.floor(random() * kinds.length)] ?? null;
  }

  /** The request's body as a JSON object; otherwise a 400 is sent and nothing is returned. */
  async function jsonObject(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<Record<string, unknown> | undefined> {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      json(res, 400, { error: { message: 'The body is not JSON.' } });
      return undefined;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      json(res, 400, { error: { message: 'The body must be a JSON object.' } });
      return undefined;
    }
    return body as Record<string, unknown>;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now();
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    pathOf.set(res, path);
    const record: ScriptedRequest = {
      index: requests.length,
      method: req.method ?? 'GET',
      path,
      fault: null,
    };
    if (req.headers.authorization) record.authorization = req.headers.authorization;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders(res));
      res.end();
      return;
    }
    requests.push(record);
    if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      json(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error' } });
      return;
    }
    const models = opts.models ?? SCRIPTED_MODELS;
    const window = opts.contextWindow ?? 8192;
    if (req.method === 'GET' && path === '/v1/models') {
      json(res, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', owned_by: 'scripted', max_model_len: window })),
      });
      return;
    }
    if (req.method === 'POST' && path === CONFIGURE_PATH) {
      const body = await jsonObject(req, res);
      if (!body) return;
      const next: Partial<ScriptedServerOptions> = {};
      for (const key of CONFIGURABLE) if (key in body) Object.assign(next, { [key]: body[key] });
      if (next.truth !== undefined && !Array.isArray(next.truth)) next.truth = [next.truth as GroundTruth];
      configure(next);
      json(res, 200, { configured: Object.keys(next) });
      return;
    }
    if (req.method === 'POST' && (path === '/tokenize' || path === '/v1/tokenize')) {
      const body = await jsonObject(req, res);
      if (!body) return;
      // vLLM takes `prompt` or `messages`; llama.cpp takes `content`.
      const count = Array.isArray(body.messages)
        ? scriptedPromptTokens(body.messages as ScriptedMessage[])
        : scriptedTokenCount(String(body.prompt ?? body.content ?? ''));
      json(res, 200, {
        count,
        max_model_len: window,
        tokens: Array.from({ length: count }, (_, i) => i + 1),
      });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      json(res, 404, { error: { message: `No route ${req.method} ${path}` } });
      return;
    }
    const body = await jsonObject(req, res);
    if (!body) return;
    const messages = Array.isArray(body.messages) ? (body.messages as ScriptedMessage[]) : [];
    const model = typeof body.model === 'string' ? body.model : '';
    const stream = body.stream === true;
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
    Object.assign(record, { model, stream, messages, body });
    if (maxTokens !== undefined) record.maxTokens = maxTokens;
    if (!models.includes(model)) {
      json(res, 404, {
        error: { message: `The model \`${model}\` does not exist.`, type: 'NotFoundError', code: 404 },
      });
      return;
    }
    if (messages.length === 0) {
      json(res, 400, { error: { message: 'messages must be a non-empty list.' } });
      return;
    }
    chatArrivals++;
    if (opts.stopAfter !== undefined && chatArrivals > opts.stopAfter) {
      // As a killed server: what is open is reset, what comes next is refused.
      stopped = true;
      server.close();
      for (const socket of sockets) socket.destroy();
      return;
    }
    if (limiter) {
      const promptTokens = Math.ceil(messages.reduce((n, m) => n + String(m.content).length, 0) / 4);
      const verdict = limiter.admit(promptTokens + (maxTokens ?? 0), arrived);
      for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
      if (verdict.refused) {
        record.limited = true;
        json(res, 429, { error: { message: 'Rate limit reached (scripted).', type: 'rate_limit' } });
        return;
      }
    }
    const fault = pickFault(chatIndex++);
    record.fault = fault;
    if (opts.slots !== undefined) {
      if (busy >= opts.slots) await new Promise<void>((r) => waiting.push(r));
      busy++;
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        busy--;
        waiting.shift()?.();
      };
      if (res.destroyed) return release();
      res.on('close', release);
    }

    const closed = { value: false };
    res.on('close', () => {
      closed.value = true;
    });
    if (fault === 'hang') return; // Never answer: the socket stays open until the client gives up.
    await sleep(opts.latencyMs ?? 0);
    if (closed.value) return;
    if (fault === '429') {
      json(
        res,
        429,
        { error: { message: 'Rate limit reached; slow down.', type: 'rate_limit' } },
        {
          'retry-after': String(opts.retryAfterSeconds ?? 0),
        },
      );
      return;
    }
    if (fault === '500') {
      json(res, 500, { error: { message: 'Internal server error (scripted).' } });
      return;
    }

    const thinking =
      /qwen-?3/i.test(model) &&
      (body.chat_template_kwargs as { enable_thinking?: unknown } | undefined)?.enable_thinking !== false;
    const done = scriptedCompletion(
      { messages, ...(maxTokens !== undefined ? { maxTokens } : {}), jsonSchema: schemaOf(body) },
      {
        contextWindow: window,
        truth: opts.truth ?? [],
        ...(opts.sentinel !== undefined ? { sentinel: opts.sentinel } : {}),
        ...(opts.contextErrors ? { contextErrors: opts.contextErrors } : {}),
      },
      thinking ? '<think>\nLet me think about it.\n</think>\n\n' : '',
    );
    if (!done.ok) {
      record.basis = 'too-long';
      json(res, done.status, done.body);
      return;
    }
    record.basis = done.basis;
    record.answer = done.text;
    const pieces = tokens(done.text);
    const finish = done.finishReason;
    const usage = {
      prompt_tokens: done.promptTokens,
      completion_tokens: done.completionTokens,
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const perToken = fault === 'slow' ? (opts.slowTokenMs ?? 100) : (opts.tokenLatencyMs ?? 0);
    const id = `chatcmpl-scripted-${record.index}`;
    const created = Math.floor(Date.now() / 1000);

    if (!stream) {
      await sleep(perToken * pieces.length);
      if (closed.value) return;
      const full = JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: finish },
        ],
        usage,
      });
      if (fault === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json', ...corsHeaders(res) });
        res.end(`{"id":"${id}","choices":[{"message":{"content":`);
        return;
      }
      if (fault === 'truncated' || fault === 'reset') {
        res.writeHead(200, { 'content-type': 'application/json', ...corsHeaders(res) });
        if (fault === 'reset') res.write(full.slice(0, Math.floor(full.length / 2)), () => res.destroy());
        else res.end(full.slice(0, Math.floor(full.length / 2)));
        return;
      }
      json(res, 200, JSON.parse(full));
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...corsHeaders(res),
    });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
      send({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      });
    chunk({ role: 'assistant', content: '' }, null);
    const cut =
      fault === 'truncated' || fault === 'reset' || fault === 'malformed'
        ? Math.floor(pieces.length / 2)
        : -1;
    for (let i = 0; i < pieces.length; i++) {
      if (i === cut) {
        if (fault === 'malformed') {
          res.write('data: {"id":"broken","choices":[{"delta":{"content":"\n\n');
          break;
        }
        if (fault === 'reset') {
          // Let what was written reach the client first, as when a server dies mid-answer.
          res.write('', () => res.destroy());
          return;
        }
        // Truncated: a half-written line, then the stream ends cleanly.
        res.write('data: {"id":"trunc');
        res.end();
        return;
      }
      if (perToken > 0) await sleep(perToken);
      if (closed.value) return;
      chunk({ content: pieces[i] }, null);
    }
    if (pieces.length === 0 && fault === 'truncated') {
      res.end();
      return;
    }
    if (fault !== 'malformed') chunk({}, finish);
    const wantsUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    if (wantsUsage && opts.usage !== false) {
      send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    }
    res.write('data: [DONE]\n\n');
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  function configure(next: Omit<ScriptedServerOptions, 'port' | 'host'>) {
    opts = { ...opts, ...next };
    if (next.rateLimit) limiter = new ScriptedRateLimiter(next.rateLimit);
    if (next.faults) random = seeded(next.faults.seed ?? 1);
    if (next.schedule) chatIndex = 0;
  }

  return {
    url: `http://${host}:${address.port}/v1`,
    port: address.port,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    get stopped() {
      return stopped;
    },
    rateLimitViolations: () => limiter?.violations ?? 0,
    configure,
    reset() {
      opts = { ...options };
      limiter = opts.rateLimit && new ScriptedRateLimiter(opts.rateLimit);
      chatArrivals = 0;
      random = seeded(opts.faults?.seed ?? 1);
      requests.length = 0;
      chatIndex = 0;
    },
    clearLog() {
      requests.length = 0;
      chatIndex = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
  };
}

/** The JSON schema of an OpenAI `response_format` (json_schema), if the request declares one. */
function schemaOf(body: Record<string, unknown>): unknown {
  const format = body.response_format as
    | { type?: unknown; json_schema?: { schema?: unknown }; schema?: unknown }
    | undefined;
  if (!format || typeof format !== 'object') return undefined;
  if (format.type === 'json_schema') return format.json_schema?.schema;
  // llama.cpp and some others take a schema beside json_object.
  if (format.type === 'json_object') return format.schema ?? { type: 'object' };
  return undefined;
}

/** Pieces of text as a model would stream them: each word with the space before it. */
export function tokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/** Faults drawn from a seeded generator, so a fault pattern can be replayed. */
function seeded(seed: number): () => number {
  return seededRandom(seed).next;
}

/**
 * TEST DOUBLE: an OpenAI-compatible server on 127.0.0.1 built to break its clients, one faulty mode at a
 * time (docs/evaluation.md, "Bounds"). Each mode is a way real servers, proxies and networks have been
 * seen to misbehave; a client must end every one of them with a typed error in bounded time.
 *
 * - `ok`            a correct streamed answer: the last word of the prompt
 * - `slow-loris`    headers, then one byte of a valid stream every `tickMs`, forever
 * - `keep-alive`    headers, then an SSE comment (`: keep-alive`) every `tickMs`, never an answer
 * - `endless`       a valid SSE stream of content chunks that never ends
 * - `silent`        accepts the request and never sends a byte
 * - `huge`          a 20 MB JSON answer (whatever was asked, even `stream: true` and 32 max tokens)
 * - `empty`         a whole, well-formed answer with no text (finish_reason "stop")
 * - `cut-done`      half an answer, then `data: [DONE]` without a finish_reason
 * - `retry-after`   429 with `Retry-After: 999999` (11.6 days)
 * - `reset`         the socket is destroyed as soon as the request arrives
 * - `echo-key`      a correct stream whose answer is the request's API key (a model echoing its prompt)
 * - `echo-key-error` a 500 whose body quotes the API key
 *
 * The mode applies to chat requests; `/v1/models` always answers. Every socket is tracked so that
 * `close()` ends even the endless streams, and the bytes each chat response sent are counted, so a test
 * can check that a client stopped reading.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const HOSTILE_MODES = [
  'ok',
  'slow-loris',
  'keep-alive',
  'endless',
  'silent',
  'huge',
  'empty',
  'cut-done',
  'retry-after',
  'reset',
  'echo-key',
  'echo-key-error',
] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

export const HOSTILE_MODEL = 'hostile-model';

export interface HostileRequest {
  mode: HostileMode;
  authorization: string | undefined;
  /** Bytes of the response body written before the client went away or the response ended. */
  bytesSent: number;
  /** Whether the client closed the connection before the response ended. */
  abandoned: boolean;
}

export interface HostileServer {
  /** Base URL with `/v1`. */
  readonly url: string;
  mode: HostileMode;
  /** Interval of the trickling modes (slow-loris, keep-alive) and of endless chunks, in ms. */
  tickMs: number;
  readonly requests: HostileRequest[];
  close(): Promise<void>;
}

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

const chunk = (content: string | null, finish: string | null = null) =>
  `data: ${JSON.stringify({
    id: 'x',
    object: 'chat.completion.chunk',
    model: HOSTILE_MODEL,
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
  })}\n\n`;

let huge: Buffer | undefined;
/** 20 MB of a well-formed answer, made once. */
function hugeBody(): Buffer {
  huge ??= Buffer.from(
    JSON.stringify({
      id: 'x',
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'word '.repeat(4 * 1024 * 1024) },
          finish_reason: 'stop',
        },
      ],
    }),
  );
  return huge;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** What an honest model would say to this prompt: its last word (enough to tell answers apart). */
function lastWord(body: string): string {
  try {
    const messages = (JSON.parse(body) as { messages?: { content?: unknown }[] }).messages ?? [];
    const text = String(messages[messages.length - 1]?.content ?? '');
    return text.match(/[\p{L}\p{N}_-]+/gu)?.pop() ?? 'nothing';
  } catch {
    return 'nothing';
  }
}

export async function startHostileServer(
  options: { mode?: HostileMode; tickMs?: number } = {},
): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  const requests: HostileRequest[] = [];
  const state = { mode: options.mode ?? 'ok', tickMs: options.tickMs ?? 20 };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json', ...cors });
      res.end(JSON.stringify({ object: 'list', data: [{ id: HOSTILE_MODEL, object: 'model' }] }));
      return;
    }
    const mode = state.mode;
    const authorization = req.headers.authorization;
    const record: HostileRequest = { mode, authorization, bytesSent: 0, abandoned: false };
    requests.push(record);
    if (mode === 'reset') {
      req.socket.destroy();
      return;
    }
    const body = await bodyOf(req);
    const key = authorization?.replace(/^Bearer\s+/i, '') ?? '';
    res.on('close', () => {
      if (!res.writableEnded) record.abandoned = true;
    });
    const write = (text: string) => {
      if (res.destroyed) return;
      record.bytesSent += Buffer.byteLength(text);
      res.write(text);
    };
    const sse = () => res.writeHead(200, { 'content-type': 'text/event-stream', ...cors });
    /** Runs `tick` every tickMs until the client goes away. */
    const forever = (tick: () => void) => {
      const timer = setInterval(() => {
        if (res.destroyed) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        tick();
      }, state.tickMs);
      timers.add(timer);
    };
    switch (mode) {
      case 'ok':
      case 'echo-key': {
        sse();
        write(chunk(mode === 'ok' ? lastWord(body) : `Sure: the key is ${key}.`));
        write(chunk(null, 'stop'));
        write('data: [DONE]\n\n');
        res.end();
        return;
      }
      case 'slow-loris': {
        sse();
        const stream = chunk('a'.repeat(10_000));
        let i = 0;
        forever(() => write(stream[i++ % stream.length] as string));
        return;
      }
      case 'keep-alive':
        sse();
        forever(() => write(': keep-alive\n\n'));
        return;
      case 'endless':
        sse();
        forever(() => {
          for (let i = 0; i < 200; i++) write(chunk('and on '));
        });
        return;
      case 'silent':
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/json', ...cors });
        record.bytesSent += hugeBody().byteLength;
        res.end(hugeBody());
        return;
      case 'empty':
        sse();
        write(chunk(''));
        write(chunk(null, 'stop'));
        write('data: [DONE]\n\n');
        res.end();
        return;
      case 'cut-done':
        sse();
        write(chunk('The answer is '));
        write('data: [DONE]\n\n');
        res.end();
        return;
      case 'retry-after':
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '999999', ...cors });
        write(JSON.stringify({ error: { message: 'Too many requests: come back later.' } }));
        res.end();
        return;
      case 'echo-key-error':
        res.writeHead(500, { 'content-type': 'application/json', ...cors });
        write(JSON.stringify({ error: { message: `internal error while checking key ${key}` } }));
        res.end();
        return;
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get mode() {
      return state.mode;
    },
    set mode(m: HostileMode) {
      state.mode = m;
    },
    get tickMs() {
      return state.tickMs;
    },
    set tickMs(ms: number) {
      state.tickMs = ms;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

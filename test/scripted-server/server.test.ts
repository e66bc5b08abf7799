import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_TRUTH_ANSWER } from './reader.ts';
import { CONFIGURE_PATH, type ScriptedServer, startScriptedServer, tokens } from './server.ts';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

const chat = (content: string, extra: Record<string, unknown> = {}) =>
  fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fixpoint-scripted', messages: [{ role: 'user', content }], ...extra }),
  });

describe('scripted server', () => {
  it('answers preflights with CORS headers, and can be told not to', async () => {
    server.reset();
    const pre = await fetch(`${server.url}/chat/completions`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    server.configure({ cors: false });
    const res = await fetch(`${server.url}/models`);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('can refuse CORS on some paths only: chat allowed, /models not', async () => {
    server.reset();
    server.configure({ noCorsPaths: ['/v1/models'] });
    const models = await fetch(`${server.url}/models`);
    expect(models.status).toBe(200);
    expect(models.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${server.url}/chat/completions`, { method: 'OPTIONS' });
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    const answer = await chat('Summarize the following text.\n\nA b.');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    // The log keeps what the rule answered, for tests that compare it with what the page shows.
    expect(server.chatRequests()[0]?.answer).toEqual(expect.any(String));
    expect(server.chatRequests()[0]?.answer?.length).toBeGreaterThan(0);
  });

  it('follows a fault schedule by chat request index and logs every request', async () => {
    server.reset();
    server.configure({ schedule: [null, '500', '429'], retryAfterSeconds: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await chat('Summarize the following text.\n\nA b.')).status);
    expect(statuses).toEqual([200, 500, 429, 200]);
    expect(server.chatRequests().map((r) => r.fault)).toEqual([null, '500', '429', null]);
    expect(server.chatRequests()[0]?.basis).toBe('no-truth');
  });

  it('draws faults at the given rate, reproducibly for a seed', async () => {
    const pattern = async () => {
      server.reset();
      server.configure({ faults: { rate: 0.3, kinds: ['500'], seed: 9 } });
      const out = [];
      for (let i = 0; i < 30; i++) out.push((await chat('x')).status);
      return out;
    };
    const a = await pattern();
    const b = await pattern();
    expect(a).toEqual(b);
    const failed = a.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(3);
    expect(failed).toBeLessThan(20);
  });

  it('refuses an unknown model like vLLM does', async () => {
    server.reset();
    const res = await chat('x', { model: 'nope' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/does not exist/);
  });

  it('streams words as SSE chunks ending in [DONE]', async () => {
    server.reset();
    const body = await (
      await chat('Summarize the following text.\n\nOne two three.', { stream: true })
    ).text();
    expect(body.trim().endsWith('data: [DONE]')).toBe(true);
    expect(body).toContain('"finish_reason":"stop"');
    expect(tokens(' One two three.')).toEqual([' One', ' two', ' three.']);
  });
});

describe('scripted server as a model', () => {
  const truth = {
    question: 'What is the special magic number for silver-owl?',
    facts: [{ evidence: ['The special magic number for silver-owl is 4417203.'], answer: '4417203' }],
  };
  const post = (path: string, body: unknown) =>
    fetch(`${server.url.replace(/\/v1$/, '')}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const answer = async (res: Response) =>
    ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;

  it('takes ground truth through the test-only configure endpoint and answers from the evidence only', async () => {
    server.reset();
    expect(await answer(await chat('Anything at all.'))).toBe(NO_TRUTH_ANSWER);
    expect((await post(CONFIGURE_PATH, { truth: [truth], sentinel: 'NONE_HERE' })).status).toBe(200);
    const q = truth.question;
    expect(await answer(await chat(`${q}\n\nThe special magic number for silver-owl is 4417203.`))).toBe(
      '4417203',
    );
    expect(await answer(await chat(`Context:\nNothing of use.\n\nAsk: ${q}`))).toBe('NONE_HERE');
    expect(server.chatRequests().map((r) => r.basis)).toEqual(['no-truth', 'fact', 'absent']);
    expect((await post(CONFIGURE_PATH, 'not an object')).status).toBe(400);
    expect(
      (await fetch(`${server.url.replace(/\/v1$/, '')}${CONFIGURE_PATH}`, { method: 'POST', body: '{' }))
        .status,
    ).toBe(400);
  });

  it('answers in the declared response_format, whatever the prompt says', async () => {
    server.reset();
    server.configure({ truth: [truth] });
    const res = await chat(
      `Reply in prose, please. ${truth.question} The special magic number for silver-owl is 4417203.`,
      {
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { type: 'object', properties: { answer: { type: 'string' } } } },
        },
      },
    );
    expect(JSON.parse(await answer(res))).toEqual({ answer: '4417203' });
  });

  it('lists its window, counts tokens on /tokenize, and refuses a prompt over the window as vLLM does', async () => {
    server.reset();
    server.configure({ contextWindow: 64 });
    const models = (await (await fetch(`${server.url}/models`)).json()) as {
      data: { max_model_len: number }[];
    };
    expect(models.data[0]!.max_model_len).toBe(64);
    const counted = (await (
      await post('/tokenize', { model: 'fixpoint-scripted', prompt: '1234 5678' })
    ).json()) as {
      count: number;
      max_model_len: number;
    };
    expect(counted).toMatchObject({ count: 8, max_model_len: 64 });
    const llama = (await (await post('/tokenize', { content: 'hello world' })).json()) as {
      tokens: number[];
    };
    expect(llama.tokens).toHaveLength(2);
    const refused = await chat('word '.repeat(40), { max_tokens: 32 });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { message: string; type: string; code: number };
    expect(body.type).toBe('BadRequestError');
    expect(body.message).toMatch(
      /maximum context length is 64 tokens\. However, you requested \d+ tokens \(\d+ in the messages, 32 in the completion\)/,
    );
    expect(server.chatRequests()[0]!.basis).toBe('too-long');
  });

  it('refuses as llama.cpp does when told to', async () => {
    server.reset();
    server.configure({ contextWindow: 32, contextErrors: 'llama.cpp' });
    const refused = await chat('word '.repeat(40));
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as {
      error: { type: string; n_ctx: number; n_prompt_tokens: number };
    };
    expect(body.error).toMatchObject({ type: 'exceed_context_size_error', n_ctx: 32 });
    expect(body.error.n_prompt_tokens).toBeGreaterThanOrEqual(32);
  });
});

describe('scripted server CLI', () => {
  it('starts on the given options and prints its URL', async () => {
    const truthFile = join(mkdtempSync(join(tmpdir(), 'scripted-')), 'truth.json');
    writeFileSync(
      truthFile,
      JSON.stringify({
        question: 'Which year?',
        facts: [{ evidence: ['It opened in 1843.'], answer: '1843' }],
      }),
    );
    const child = spawn(
      process.execPath,
      [
        ...['--import', 'tsx', 'test/scripted-server/main.ts', '--latency', '5', '--schedule', 'ok,500'],
        ...['--truth', truthFile, '--window', '2048', '--context-errors', 'llama.cpp'],
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const url = /listening on (\S+)/.exec(line.toString())?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const models = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
      expect(models.data.map((m) => m.id)).toContain('fixpoint-scripted');
      const ask = () =>
        fetch(`${url}/chat/completions`, {
          method: 'POST',
          body: JSON.stringify({
            model: 'fixpoint-scripted',
            messages: [{ role: 'user', content: 'Which year? It opened in 1843.' }],
          }),
        });
      const first = await ask();
      expect([first.status, (await ask()).status, (await ask()).status]).toEqual([200, 500, 200]);
      const body = (await first.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]!.message.content).toBe('1843');
      const listed = (await (await fetch(`${url}/models`)).json()) as { data: { max_model_len: number }[] };
      expect(listed.data[0]!.max_model_len).toBe(2048);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

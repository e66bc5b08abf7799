import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FALLBACK_ANSWER, scriptedAnswer } from './rules.ts';
import { type ScriptedServer, startScriptedServer, tokens } from './server.ts';

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
    expect(server.chatRequests()[0]?.rule).toBe('summarise');
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

describe('scripted rules', () => {
  it('answers each task of docs/examples.md by its rule', () => {
    const ask = (content: string) => scriptedAnswer([{ role: 'user', content }]).text;
    expect(
      ask('Find the secret code.\nQuestion: What is the secret code for Orion?\nText:\nNothing here.'),
    ).toBe('NOT FOUND');
    expect(
      ask(
        'Classify each question.\nText:\nQ1: Where is it?\nQ2: How many cats?\nQ3: Where now?\nQ4: Why not?',
      ),
    ).toBe('{"location":2,"number":1}');
    expect(
      ask(
        'List the ids of users whose hobby is chess.\nUser 3 | city: Oslo | hobby: chess\nUser 4 | city: Rome | hobby: golf\nUser 9 | city: Lima | hobby: Chess',
      ),
    ).toBe('["3","9"]');
    expect(
      ask(
        'Extract the sentences relevant to the question.\nQuestion: Which harbour was rebuilt?\nText:\nThe harbour was rebuilt in 1901. Cats sleep. The old harbour is quiet.',
      ),
    ).toBe('The harbour was rebuilt in 1901.\nThe old harbour is quiet.');
    expect(
      ask('Answer the question using only these notes.\nQuestion: Q?\nNotes:\nNONE\nThe harbour.\nOther.'),
    ).toBe('The harbour.');
    const summary = ask(
      `Summarize the following text.\n\n${'Long first sentence here. More.\n\n'.repeat(20)}`,
    );
    expect(summary.length).toBeLessThanOrEqual(200);
    expect(summary.startsWith('Long first sentence here. Long first')).toBe(true);
    expect(ask('Write a poem.')).toBe(FALLBACK_ANSWER);
  });
});

describe('scripted server CLI', () => {
  it('starts on the given options and prints its URL', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/scripted-server/main.ts', '--latency', '5', '--schedule', 'ok,500'],
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
          body: JSON.stringify({ model: 'fixpoint-scripted', messages: [{ role: 'user', content: 'x' }] }),
        });
      expect([(await ask()).status, (await ask()).status, (await ask()).status]).toEqual([200, 500, 200]);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

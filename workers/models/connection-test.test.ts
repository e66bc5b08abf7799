/**
 * "Test connection" tells apart a server that is not there, one whose /models is blocked for the browser
 * while chat works, one that refuses the page altogether, and one where everything works. A browser reports
 * a CORS refusal and a dead server alike (`TypeError: Failed to fetch`); these fetch doubles do the same.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenAIModel } from './openai.ts';

const PAGE = 'http://localhost:5173';
const API = 'http://127.0.0.1:11434/v1';

/** A test double for the browser's fetch: per path, an answer or the browser's network-level refusal. */
function browserFetch(routes: {
  models: 'list' | 'absent' | 'refused';
  chat: 'ok' | 'refused' | 'unauthorized';
  /** Whether anything answers at all (what a `no-cors` request finds out). */
  serverUp: boolean;
}) {
  const calls: { path: string; mode: string | undefined }[] = [];
  const refused = () => Promise.reject(new TypeError('Failed to fetch'));
  const impl = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const path = new URL(String(url)).pathname;
    calls.push({ path, mode: init?.mode });
    if (init?.mode === 'no-cors') return routes.serverUp ? new Response(null, { status: 200 }) : refused();
    if (!routes.serverUp) return refused();
    if (path.endsWith('/models')) {
      if (routes.models === 'refused') return refused();
      if (routes.models === 'absent') return new Response('{"error":"No route"}', { status: 404 });
      return Response.json({ data: [{ id: 'qwen3:4b' }, { id: 'llama3' }] });
    }
    if (routes.chat === 'refused') return refused();
    if (routes.chat === 'unauthorized')
      return new Response('{"error":{"message":"bad key"}}', { status: 401 });
    return Response.json({
      choices: [{ message: { content: 'OK' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 1 },
    });
  };
  return { impl: impl as typeof fetch, calls };
}

function apiWith(fetchDouble: typeof fetch, model = 'qwen3:4b') {
  return new OpenAIModel({ baseUrl: API, model, fetch: fetchDouble, timeoutMs: 5000 });
}

afterEach(() => vi.unstubAllGlobals());

describe('Test connection in a browser', () => {
  it('goes on to the chat request when /models is blocked, and says chat works with /models blocked', async () => {
    vi.stubGlobal('location', { origin: PAGE });
    const f = browserFetch({ models: 'refused', chat: 'ok', serverUp: true });
    const report = await apiWith(f.impl).testConnection();
    expect(f.calls.map((c) => c.path)).toEqual(['/v1/models', '/v1/chat/completions']);
    expect(report).toMatchObject({
      ok: true,
      verdict: 'chat-works',
      checks: { reachable: true, models: 'blocked', chat: 'works', reply: 'OK' },
    });
    expect(report.message).toMatch(/^Chat works/);
    expect(report.message).toMatch(/\/models\) is blocked for this page \(CORS\)/);
  });

  it('calls a server that answers nothing unreachable, after asking with no-cors', async () => {
    vi.stubGlobal('location', { origin: PAGE });
    const f = browserFetch({ models: 'refused', chat: 'refused', serverUp: false });
    const report = await apiWith(f.impl).testConnection();
    expect(f.calls.at(-1)).toMatchObject({ mode: 'no-cors' });
    expect(report).toMatchObject({
      ok: false,
      verdict: 'unreachable',
      checks: { reachable: false, models: 'unanswered', chat: 'unanswered' },
    });
    expect(report.message).toMatch(/^Server unreachable: nothing answers at http:\/\/127\.0\.0\.1:11434\/v1/);
    expect(report.message).not.toMatch(/CORS/);
  });

  it('calls a server that answers but refuses the page a CORS problem, with the fixes', async () => {
    vi.stubGlobal('location', { origin: PAGE });
    const f = browserFetch({ models: 'refused', chat: 'refused', serverUp: true });
    const report = await apiWith(f.impl).testConnection();
    expect(report).toMatchObject({
      ok: false,
      verdict: 'cors',
      checks: { reachable: true, models: 'blocked', chat: 'blocked' },
    });
    expect(report.message).toMatch(/is running, but refuses requests from this page \(CORS\)/);
    expect(report.message).toContain(`OLLAMA_ORIGINS=${PAGE}`);
  });

  it('says chat works and that the server lists no models when /models is missing', async () => {
    vi.stubGlobal('location', { origin: PAGE });
    const f = browserFetch({ models: 'absent', chat: 'ok', serverUp: true });
    const report = await apiWith(f.impl).testConnection();
    expect(report).toMatchObject({ ok: true, checks: { models: 'absent', chat: 'works' } });
    expect(report.message).toMatch(/does not list its models/);
  });

  it('names the models offered when the chosen one is missing, without a chat request', async () => {
    vi.stubGlobal('location', { origin: PAGE });
    const f = browserFetch({ models: 'list', chat: 'ok', serverUp: true });
    const report = await apiWith(f.impl, 'gpt-9').testConnection();
    expect(report).toMatchObject({ ok: false, verdict: 'model-missing', modelListed: false });
    expect(report.message).toMatch(/qwen3:4b, llama3/);
    expect(f.calls.map((c) => c.path)).toEqual(['/v1/models']);
  });

  it('with no model given, names the models offered (or says none are listed) without a chat request', async () => {
    vi.stubGlobal('location', { origin: PAGE });
    const listed = browserFetch({ models: 'list', chat: 'ok', serverUp: true });
    const report = await apiWith(listed.impl, '').testConnection();
    expect(report).toMatchObject({
      ok: false,
      verdict: 'no-model',
      checks: { reachable: true, chat: 'skipped' },
    });
    expect(report.message).toMatch(/^The server answers\. Choose a model: it offers qwen3:4b, llama3/);
    expect(listed.calls.map((c) => c.path)).toEqual(['/v1/models']);

    const unlisted = browserFetch({ models: 'absent', chat: 'ok', serverUp: true });
    const bare = await apiWith(unlisted.impl, ' ').testConnection();
    expect(bare).toMatchObject({ ok: false, verdict: 'no-model' });
    expect(bare.message).toMatch(/does not list its models: type the model's name/);

    // Nothing answered /models: the chat request still tells an absent server apart.
    const down = browserFetch({ models: 'refused', chat: 'refused', serverUp: false });
    expect(await apiWith(down.impl, '').testConnection()).toMatchObject({ verdict: 'unreachable' });
  });

  it('reports a refused key from the chat request when /models did not say', async () => {
    vi.stubGlobal('location', { origin: PAGE });
    const f = browserFetch({ models: 'absent', chat: 'unauthorized', serverUp: true });
    const report = await apiWith(f.impl).testConnection();
    expect(report).toMatchObject({ ok: false, verdict: 'failed', error: { code: 'auth', status: 401 } });
  });
});

describe('Test connection outside a browser (the CLI)', () => {
  it('has no CORS to blame: a failed chat with no answer is unreachable, and no probe is sent', async () => {
    const f = browserFetch({ models: 'refused', chat: 'refused', serverUp: false });
    const report = await apiWith(f.impl).testConnection();
    expect(report.verdict).toBe('unreachable');
    expect(f.calls.some((c) => c.mode === 'no-cors')).toBe(false);
  });
});

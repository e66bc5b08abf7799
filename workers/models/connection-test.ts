/**
 * "Test connection" for an OpenAI-compatible API: three questions, each answered on its own, so the panel can
 * tell apart a server that is not there, a server that lets the browser use `/chat/completions` but not
 * `/models`, and one where chat works.
 *
 * 1. `GET /models`: which models the server offers. A failure here never ends the test: some servers have no
 *    `/models`, and some allow the browser on `/chat/completions` only (a CORS refusal looks to a page exactly
 *    like a dead server: `TypeError: Failed to fetch`).
 * 2. One tiny chat request: what a run does. Success means runs work, whatever `/models` said.
 * 3. Only when both failed at the network level, in a browser: a `no-cors` request, which the browser lets
 *    through to any server and resolves (with an opaque answer) once the server has answered at all. It says
 *    whether the server is reachable and CORS is the obstacle, or nothing answers at that address.
 */
import type { LeafModel } from '../lang/index.ts';
import type { ApiError, ApiErrorCode, ModelInfo } from './openai.ts';

/** What `/models` gave. */
export type ModelsCheck =
  | 'listed' // a list of models
  | 'absent' // the server has no /models (404, or not a list): some servers do not list their models
  | 'blocked' // no answer the page could read, while the server is reachable: CORS on /models
  | 'unanswered' // no answer the page could read, and the server did not answer at all
  | 'failed'; // an HTTP error (401, 500…)

/** What the one-line chat request gave. */
export type ChatCheck = 'works' | 'blocked' | 'unanswered' | 'failed' | 'skipped';

/** The test's conclusion, in one word for the panel and for tests. */
export type ConnectionVerdict =
  | 'chat-works' // runs will work (the models list may still be blocked: see `checks.models`)
  | 'unreachable' // nothing answers at that address
  | 'cors' // the server answers, but refuses requests from this page
  | 'model-missing' // the server lists its models and the chosen one is not among them
  | 'no-model' // no model was given: the server answered, and here is what it offers
  | 'failed'; // the server answered with an error (key refused, server error, not an API…)

export interface ConnectionReport {
  ok: boolean;
  verdict: ConnectionVerdict;
  /** One or two sentences for the settings panel. */
  message: string;
  checks: {
    /** null when it could not be told (the browser hides the difference and no probe ran). */
    reachable: boolean | null;
    models: ModelsCheck;
    chat: ChatCheck;
    /** What the model answered to the test request, cut short. */
    reply?: string;
  };
  models: ModelInfo[];
  /** Whether the chosen model is among the server's models; null when the server lists none. */
  modelListed: boolean | null;
  latencyMs: number;
  error?: { kind: string; code?: ApiErrorCode; status?: number };
}

/** The parts of the API client the test uses. */
export interface TestedApi {
  readonly model: string;
  /** Origin and path of the API, for messages (never a query string). */
  where(path?: string): string;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  complete: LeafModel['complete'];
}

export interface ConnectionTestOptions {
  signal?: AbortSignal;
  /** The page's origin when running in a browser (CORS exists only there). */
  pageOrigin?: string;
  /** Resolves true when the server answers a `no-cors` request at all (browsers only). */
  probe?: (url: string, signal: AbortSignal) => Promise<boolean>;
  /** Words for a server that refuses this page, with the fixes for common servers. */
  corsAdvice?: (pageOrigin: string) => string;
}

const isApiError = (e: unknown): e is ApiError =>
  e instanceof Error && e.name === 'ApiError' && typeof (e as ApiError).code === 'string';

/** A failure where no HTTP answer reached the caller: a dead server, or (in a browser) a CORS refusal. */
const noAnswer = (e: unknown) => isApiError(e) && (e.code === 'network' || e.code === 'cors');

export async function testConnection(
  api: TestedApi,
  options: ConnectionTestOptions = {},
): Promise<ConnectionReport> {
  const started = Date.now();
  const signal = options.signal ?? new AbortController().signal;
  const elapsed = () => Date.now() - started;
  const inBrowser = options.pageOrigin !== undefined;

  let models: ModelInfo[] = [];
  let modelsCheck: ModelsCheck = 'listed';
  let modelsError: unknown;
  try {
    models = await api.listModels(signal);
  } catch (error) {
    if (signal.aborted) throw error;
    modelsError = error;
    if (noAnswer(error)) modelsCheck = 'unanswered';
    else if (isApiError(error) && (error.code === 'not-found' || error.code === 'malformed'))
      modelsCheck = 'absent';
    else modelsCheck = 'failed';
  }

  const base = { models, latencyMs: 0 };
  // A refused key fails the chat request the same way: say it once, from /models.
  if (modelsCheck === 'failed' && isApiError(modelsError) && modelsError.code === 'auth') {
    return failed(modelsError, {
      ...base,
      checks: { reachable: true, models: 'failed', chat: 'skipped' },
      modelListed: null,
      latencyMs: elapsed(),
    });
  }

  const some = models
    .slice(0, 8)
    .map((m) => m.id)
    .join(', ');
  const modelListed = models.length > 0 ? models.some((m) => m.id === api.model) : null;
  // No model yet: a new user tests the address to learn what to type. A server that answered says what it
  // offers (or that it lists nothing); one that did not goes on to the chat request, which tells unreachable
  // from CORS.
  if (!api.model.trim() && modelsCheck !== 'unanswered') {
    return {
      ok: false,
      verdict: 'no-model',
      message:
        models.length > 0
          ? `The server answers. Choose a model: it offers ${some}${models.length > 8 ? ', …' : ''}.`
          : `The server answers, but does not list its models${modelsCheck === 'failed' && modelsError instanceof Error ? ` (${modelsError.message})` : ''}: type the model's name, then test again.`,
      checks: { reachable: true, models: modelsCheck, chat: 'skipped' },
      models,
      modelListed: null,
      latencyMs: elapsed(),
    };
  }
  if (modelListed === false) {
    return {
      ok: false,
      verdict: 'model-missing',
      message: `The server answers, but it has no model "${api.model}". It offers: ${some}${models.length > 8 ? ', …' : ''}.`,
      checks: { reachable: true, models: 'listed', chat: 'skipped' },
      models,
      modelListed,
      latencyMs: elapsed(),
      error: { kind: 'unavailable', code: 'model-not-found', status: 404 },
    };
  }

  let reply: string;
  try {
    const answer = await api.complete(
      {
        messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
        maxTokens: 16,
        temperature: 0,
      },
      { signal },
    );
    reply = answer.text.trim().slice(0, 40);
  } catch (error) {
    if (signal.aborted) throw error;
    if (!noAnswer(error)) {
      return failed(error, {
        ...base,
        checks: {
          reachable: true,
          models: modelsCheck === 'unanswered' ? 'blocked' : modelsCheck,
          chat: 'failed',
        },
        modelListed,
        latencyMs: elapsed(),
      });
    }
    // Neither request got an answer the page could read. In a browser, ask whether anything answers at all.
    const reachable =
      modelsCheck === 'listed' || modelsCheck === 'absent'
        ? true
        : inBrowser && options.probe
          ? await options.probe(`${api.where('/models')}`, signal).catch(() => false)
          : false;
    if (!reachable) {
      return {
        ok: false,
        verdict: 'unreachable',
        message: `Server unreachable: nothing answers at ${api.where()}. ${
          mixedContent(options.pageOrigin, api.where())
            ? 'This page is served over https, and the browser blocks calls from it to a plain http:// address: use an https:// URL for the API.'
            : 'Check that the server is running and that the URL (host, port, /v1) is right.'
        }`,
        checks: { reachable: false, models: 'unanswered', chat: 'unanswered' },
        models,
        modelListed,
        latencyMs: elapsed(),
        error: { kind: 'unavailable', code: 'network' },
      };
    }
    const advice =
      options.pageOrigin && options.corsAdvice ? ` ${options.corsAdvice(options.pageOrigin)}` : '';
    const which =
      modelsCheck === 'listed' || modelsCheck === 'absent'
        ? `answers /models, but refuses chat requests from this page (CORS on /chat/completions), so runs cannot work.`
        : `is running, but refuses requests from this page (CORS).`;
    return {
      ok: false,
      verdict: 'cors',
      message: `The server at ${api.where()} ${which}${advice}`,
      checks: {
        reachable: true,
        models: modelsCheck === 'unanswered' ? 'blocked' : modelsCheck,
        chat: 'blocked',
      },
      models,
      modelListed,
      latencyMs: elapsed(),
      error: { kind: 'unavailable', code: 'cors' },
    };
  }

  const latencyMs = elapsed();
  const finalModels: ModelsCheck = modelsCheck === 'unanswered' ? 'blocked' : modelsCheck;
  const note =
    finalModels === 'blocked'
      ? inBrowser
        ? ' Its model list (/models) is blocked for this page (CORS): runs work, only the list of models cannot be shown.'
        : ' Its model list (/models) did not answer: runs work, only the list of models cannot be shown.'
      : finalModels === 'absent'
        ? ' The server does not list its models (no /models).'
        : finalModels === 'failed'
          ? ` Its model list (/models) failed: ${modelsError instanceof Error ? modelsError.message : String(modelsError)}`
          : '';
  return {
    ok: true,
    verdict: 'chat-works',
    message: `Chat works: "${api.model}" answered${reply ? ` "${reply}"` : ''} in ${latencyMs} ms.${note}`,
    checks: { reachable: true, models: finalModels, chat: 'works', reply },
    models,
    modelListed,
    latencyMs,
  };
}

/** An https page calling a plain-http API that is not on this machine: the browser blocks it outright. */
export function mixedContent(pageOrigin: string | undefined, apiUrl: string): boolean {
  if (!pageOrigin?.startsWith('https:')) return false;
  const api = new URL(apiUrl);
  return api.protocol === 'http:' && !/^(localhost|127\.|\[::1\])/.test(api.hostname);
}

function failed(
  error: unknown,
  rest: Pick<ConnectionReport, 'checks' | 'models' | 'modelListed' | 'latencyMs'>,
): ConnectionReport {
  const report: ConnectionReport = {
    ok: false,
    verdict: 'failed',
    message: error instanceof Error ? error.message : String(error),
    ...rest,
  };
  if (isApiError(error)) {
    report.error = { kind: error.kind, code: error.code };
    if (error.status !== undefined) report.error.status = error.status;
  } else if (error instanceof Error && 'kind' in error) {
    report.error = { kind: String((error as { kind: unknown }).kind) };
  }
  return report;
}

/**
 * The browser's own reachability test: a `no-cors` request resolves once the server answered anything (the
 * answer is opaque), and rejects when no server answered. Bounded by `timeoutMs`.
 */
export function noCorsProbe(fetchImpl: typeof fetch, timeoutMs: number) {
  return async (url: string, signal: AbortSignal): Promise<boolean> => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(stop, timeoutMs);
    try {
      await fetchImpl(url, {
        mode: 'no-cors',
        credentials: 'omit',
        cache: 'no-store',
        signal: controller.signal,
      });
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  };
}

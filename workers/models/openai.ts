/**
 * A leaf model behind an OpenAI-compatible chat API (docs/models.md): OpenAI, OpenRouter, vLLM, SGLang,
 * llama.cpp server, Ollama, LM Studio. Runs in a worker, in the page or in Node (the CLI): it needs
 * only `fetch`.
 *
 * Why it is built the way it is:
 * - An answer is accepted only when the server says it is finished (a `finish_reason`, or the stream's
 *   closing `[DONE]`). A stream that breaks, or a chunk that is not JSON, is a transient error for the
 *   scheduler to retry: partial text never becomes a value.
 * - Errors carry a kind the scheduler acts on (transient → retry, fatal → fail the call, unavailable →
 *   stop the run) and words a user can act on. In a browser, a CORS refusal and a dead server look the
 *   same (`TypeError: Failed to fetch`); until the server has answered once, that is reported as
 *   unavailable with the usual CORS fixes, afterwards as a transient network fault.
 * - The key is sent only in the Authorization header. It is never logged, and any echo of it in a
 *   server's error text is masked before the text reaches an error message.
 * - `timeoutMs` is an inactivity timeout (no bytes for that long), so a long answer that keeps streaming
 *   is not cut, and a hung server is. The deadline per attempt and per leaf belongs to the scheduler.
 * - A reply is read under caps from its max tokens (`replyLimits`): a server that streams forever, or
 *   sends 20 MB for a 32-token answer, is stopped at the cap with a typed error, never read to the end.
 *   An empty reply, and a stream that ends (even with `[DONE]`) before a finish reason, are faults too.
 * - A base URL with credentials in it (`user:key@host`) is refused: fetch would put them in every error.
 */
import { createParser } from 'eventsource-parser';
import {
  type ChatMessage,
  estimateTokenizer,
  type FinishReason,
  type LeafCallOptions,
  type LeafModel,
  type LeafModelCapabilities,
  type LeafPace,
  type LeafRequest,
  type LeafResponse,
  ProviderError,
  REDACTED,
  redactSecrets,
  replyLimits,
  replyProblem,
  SERVER_PACE,
  stripThink,
  ThinkFilter,
  type Tokenizer,
  type TokenUsage,
} from '../lang/index.ts';
import { type ConnectionReport, mixedContent, noCorsProbe, testConnection } from './connection-test.ts';
import { readUsage } from './usage.ts';

export type { ConnectionReport } from './connection-test.ts';

export interface OpenAIModelOptions {
  /** e.g. `http://localhost:8000/v1`. A bare origin gets `/v1`; a trailing `/chat/completions` is dropped. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** The model's context window in tokens (default 8192). */
  contextWindow?: number;
  /** Inactivity timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** How slow the server may be and still be working (the scheduler's attempt deadline); a server's by default. */
  pace?: LeafPace;
  /** Stream the answer over SSE (default true). */
  stream?: boolean;
  /**
   * Ask the chat template to skip thinking (`chat_template_kwargs: { enable_thinking: false }`, read by
   * vLLM and SGLang). Default: on for Qwen3 models. `<think>` blocks are stripped either way.
   */
  disableThinking?: boolean;
  /** For tests and for Node builds without a global fetch. */
  fetch?: typeof fetch;
  /** The server's token count (calibrated, see server-tokenize.ts); the conservative estimate without one. */
  tokenizer?: Tokenizer;
}

/** A leaf call, plus what an endpoint pool listens to: every response's status and headers (rate limits). */
export interface OpenAICallOptions extends LeafCallOptions {
  onHeaders?: (headers: Headers, status: number) => void;
}

/** Why a call failed, for the settings panel and tests; the message says it in words. */
export type ApiErrorCode =
  | 'network'
  | 'cors'
  | 'timeout'
  | 'auth'
  | 'model-not-found'
  | 'not-found'
  | 'rate-limit'
  | 'server'
  | 'bad-request'
  | 'malformed'
  | 'truncated'
  | 'empty'
  | 'oversize'
  | 'reset'
  | 'content-filter'
  | 'context-length';

export class ApiError extends ProviderError {
  constructor(
    message: string,
    kind: ProviderError['kind'],
    readonly code: ApiErrorCode,
    status?: number,
    retryAfterMs?: number,
  ) {
    super(message, kind, status, retryAfterMs, REASONS[code]);
    this.name = 'ApiError';
  }
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
  /** When the server says (vLLM: max_model_len, OpenRouter: context_length). */
  contextWindow?: number;
}

/** The typed reason a scheduler and a program see, for the codes that have one. */
const REASONS: Partial<Record<ApiErrorCode, ProviderError['reason']>> = {
  timeout: 'timeout',
  truncated: 'cut-reply',
  empty: 'empty-reply',
  oversize: 'oversize-reply',
  reset: 'connection-reset',
};

/** The inactivity timeout: no byte for this long and the attempt is given up. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The window assumed when neither the user nor the server says (the CLI's `plan` and `run` share it). */
export const DEFAULT_API_CONTEXT_WINDOW = 8192;
/** How vLLM, llama.cpp, SGLang, Ollama and OpenAI say a prompt is over the model's context. */
const CONTEXT_LENGTH =
  /context[ _-]?(length|window|size)|maximum context|too many tokens|prompt is too long|exceeds? (the )?(available )?context|n_ctx|input (is )?too long/i;
const MAX_ERROR_BODY = 4000;

export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    // Not repeated when it may hold a key (`user:key@host` that does not parse).
    const shown = raw.includes('@') || raw.length > 200 ? 'The API URL' : `"${raw}"`;
    throw new ApiError(
      `${shown} is not a URL: write it like http://localhost:8000/v1.`,
      'unavailable',
      'not-found',
    );
  }
  if (url.username !== '' || url.password !== '') {
    // Never repeated: the part before @ is usually a key, and fetch would put it in every error.
    throw new ApiError(
      'The API URL has a user name or key in it (user:key@host). Remove it from the URL and enter the key as the API key: it is sent in a header and never shown.',
      'unavailable',
      'auth',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ApiError(`The API URL must start with http:// or https://.`, 'unavailable', 'not-found');
  }
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/chat\/completions$/, '');
  if (path === '') path = '/v1';
  url.pathname = path;
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

export class OpenAIModel implements LeafModel {
  readonly id: string;
  readonly capabilities: LeafModelCapabilities;
  readonly baseUrl: string;
  readonly model: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly stream: boolean;
  private readonly disableThinking: boolean;
  private readonly fetchImpl: typeof fetch;
  /** Set once any HTTP response arrived: from then on a network failure is a blip, not CORS. */
  private reached = false;
  /** Older servers reject these fields; dropped for the session after the first refusal. */
  private sendStreamOptions = true;
  private sendResponseFormat = true;
  private sendTemplateKwargs = true;
  private sendTemperature = true;
  /** OpenAI's newer models take `max_completion_tokens` and refuse `max_tokens`. */
  private maxTokensField: 'max_tokens' | 'max_completion_tokens' = 'max_tokens';

  constructor(options: OpenAIModelOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.model = options.model;
    this.apiKey = options.apiKey?.trim() || undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.stream = options.stream ?? true;
    this.disableThinking = options.disableThinking ?? /qwen-?3/i.test(options.model);
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.id = `api:${options.model}`;
    this.capabilities = {
      concurrency: Math.max(1, options.concurrency ?? 4),
      contextWindow: options.contextWindow ?? DEFAULT_API_CONTEXT_WINDOW,
      pace: options.pace ?? SERVER_PACE,
      ...(options.tokenizer && { tokenizer: options.tokenizer }),
    };
  }

  async complete(request: LeafRequest, options: OpenAICallOptions): Promise<LeafResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.completeOnce(request, options);
      } catch (error) {
        // A server that refuses an optional field gets the request again without it, once per field.
        if (
          attempt < 5 &&
          error instanceof ApiError &&
          error.status === 400 &&
          this.dropRefusedField(error)
        ) {
          continue;
        }
        throw error;
      }
    }
  }

  /** The server's models (GET /models). */
  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const { response, touch, done, fail } = await this.send(
      'GET',
      '/models',
      undefined,
      signal ?? neverSignal(),
    );
    let body: unknown;
    try {
      body = await this.readJson(response, touch, MAX_MODELS_BYTES);
    } catch (error) {
      throw fail(error);
    } finally {
      done();
    }
    const data = (body as { data?: unknown })?.data;
    if (!Array.isArray(data)) {
      throw new ApiError(
        `${this.where('/models')} did not answer with a list of models.`,
        'fatal',
        'malformed',
      );
    }
    return data
      .filter(
        (m): m is Record<string, unknown> => typeof m === 'object' && m !== null && typeof m.id === 'string',
      )
      .map((m) => {
        const window = [m.max_model_len, m.context_length, m.context_window].find(
          (v): v is number => typeof v === 'number' && v > 0,
        );
        const info: ModelInfo = { id: m.id as string };
        if (typeof m.owned_by === 'string') info.ownedBy = m.owned_by;
        if (window) info.contextWindow = window;
        return info;
      });
  }

  /**
   * What the settings panel's "Test connection" does: lists the models, runs one tiny completion and, when
   * neither answered in a browser, asks whether the server is reachable at all (`connection-test.ts`).
   */
  async testConnection(signal?: AbortSignal): Promise<ConnectionReport> {
    const page = pageOrigin();
    return testConnection(this, {
      ...(signal && { signal }),
      ...(page !== undefined && { pageOrigin: page }),
      probe: noCorsProbe(this.fetchImpl, Math.min(this.timeoutMs, 15_000)),
      corsAdvice,
    });
  }

  private dropRefusedField(error: ApiError): boolean {
    if (this.sendStreamOptions && /stream_options|include_usage/i.test(error.message)) {
      this.sendStreamOptions = false;
      return true;
    }
    if (this.sendResponseFormat && /response_format|json_schema/i.test(error.message)) {
      this.sendResponseFormat = false;
      return true;
    }
    if (this.sendTemplateKwargs && this.disableThinking && /chat_template_kwargs/i.test(error.message)) {
      this.sendTemplateKwargs = false;
      return true;
    }
    if (this.maxTokensField === 'max_tokens' && /max_completion_tokens/i.test(error.message)) {
      this.maxTokensField = 'max_completion_tokens';
      return true;
    }
    if (this.sendTemperature && /temperature/i.test(error.message)) {
      this.sendTemperature = false;
      return true;
    }
    return false;
  }

  private requestBody(request: LeafRequest): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: this.model,
      messages: request.messages,
      [this.maxTokensField]: request.maxTokens,
      stream: this.stream,
    };
    if (this.sendTemperature) body.temperature = request.temperature;
    if (this.stream && this.sendStreamOptions) body.stream_options = { include_usage: true };
    if (this.disableThinking && this.sendTemplateKwargs)
      body.chat_template_kwargs = { enable_thinking: false };
    if (request.jsonSchema !== undefined && this.sendResponseFormat) {
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: 'leaf_answer', schema: request.jsonSchema },
      };
    }
    return body;
  }

  private async completeOnce(request: LeafRequest, options: OpenAICallOptions): Promise<LeafResponse> {
    const { response, touch, done, fail } = await this.send(
      'POST',
      '/chat/completions',
      this.requestBody(request),
      options.signal,
      options.onHeaders,
    );
    try {
      const type = response.headers.get('content-type') ?? '';
      const limits = replyLimits(request.maxTokens);
      // A server that ignores `stream: true` answers with one JSON body: take it as it is.
      const raw =
        this.stream && !type.includes('application/json')
          ? await this.readStream(response, touch, options.onDelta, limits)
          : this.fromJson(
              await this.readJson(response, touch, limits.streamBytes, request.maxTokens),
              options.onDelta,
            );
      if (raw.usage && raw.usage.completionTokens > request.maxTokens) {
        throw this.oversize(
          `${raw.usage.completionTokens.toLocaleString('en')} tokens for a limit of ${request.maxTokens.toLocaleString('en')}`,
        );
      }
      const answer: LeafResponse = {
        text: stripThink(raw.text),
        finishReason: raw.finishReason,
        usage: raw.usage ?? {
          promptTokens: estimatePromptTokens(request.messages),
          completionTokens: estimateTokenizer.count(raw.text),
        },
      };
      const problem = replyProblem(request, { ...answer, text: raw.text });
      if (problem?.reason === 'oversize-reply') throw this.oversize(problem.message);
      if (problem) {
        throw new ApiError(
          `${this.where('/chat/completions')} sent an empty answer (finish reason "stop"); it will be asked again.`,
          'transient',
          'empty',
        );
      }
      return answer;
    } catch (error) {
      throw fail(error);
    } finally {
      done();
    }
  }

  private async readStream(
    response: Response,
    touch: () => void,
    onDelta: ((text: string) => void) | undefined,
    limits: { chars: number; streamBytes: number },
  ): Promise<RawAnswer> {
    const body = response.body;
    if (!body) throw this.malformed('an empty response');
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const filter = new ThinkFilter();
    let text = '';
    let finishReason: FinishReason | undefined;
    let usage: RawAnswer['usage'];
    let sawDone = false;
    let bytes = 0;
    let problem: ApiError | undefined;
    const parser = createParser({
      onEvent: (event) => {
        if (problem || sawDone) return;
        if (event.data === '[DONE]') {
          sawDone = true;
          return;
        }
        let chunk: StreamChunk;
        try {
          chunk = JSON.parse(event.data) as StreamChunk;
        } catch {
          problem = this.malformed('a stream chunk that is not JSON');
          return;
        }
        if (
          event.event === 'error' ||
          (chunk && typeof chunk === 'object' && 'error' in chunk && chunk.error)
        ) {
          problem = new ApiError(
            `The server reported an error in the middle of the answer: ${this.scrub(errorText(chunk))}`,
            'transient',
            'server',
          );
          return;
        }
        if (!chunk || typeof chunk !== 'object') {
          problem = this.malformed('a stream chunk that is not an object');
          return;
        }
        usage = readUsage(chunk.usage) ?? usage;
        const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
        if (!choice) return;
        const piece = choice.delta?.content;
        if (typeof piece === 'string' && piece !== '') {
          text += piece;
          if (text.length > limits.chars) {
            problem = this.oversize(
              `more than ${limits.chars.toLocaleString('en')} characters, which its max tokens cannot hold`,
            );
            return;
          }
          const visible = filter.push(piece);
          if (visible && onDelta) onDelta(visible);
        }
        if (choice.finish_reason) {
          try {
            finishReason = this.mapFinish(choice.finish_reason);
          } catch (error) {
            problem = error as ApiError;
          }
        }
      },
      onError: () => {
        problem ??= this.malformed('a stream that is not valid server-sent events');
      },
    });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      touch();
      bytes += value.byteLength;
      if (bytes > limits.streamBytes) {
        // Keep-alive comments or empty chunks forever: no answer is that long.
        problem ??= this.oversize(
          `a stream of more than ${limits.streamBytes.toLocaleString('en')} bytes, more than its max tokens need`,
        );
        await reader.cancel(STREAM_FINISHED).catch(() => {});
        break;
      }
      parser.feed(decoder.decode(value, { stream: true }));
      if (problem || sawDone) {
        // With a reason of its own, cancelling does not build a DOMException (and its stack) per call.
        await reader.cancel(STREAM_FINISHED).catch(() => {});
        break;
      }
    }
    parser.feed(decoder.decode());
    if (problem) throw problem;
    // `[DONE]` ends the stream, not the answer: an answer is whole only when the model says why it stopped.
    if (!finishReason) {
      throw new ApiError(
        sawDone
          ? `The answer from ${this.where('/chat/completions')} ended ([DONE]) without a finish reason, so it may be cut; it will be asked again.`
          : `The answer from ${this.where('/chat/completions')} broke off before it was finished; it will be asked again.`,
        'transient',
        'truncated',
      );
    }
    return { text, finishReason, usage };
  }

  private fromJson(body: unknown, onDelta: ((text: string) => void) | undefined): RawAnswer {
    const b = body as CompletionBody;
    if (b && typeof b === 'object' && 'error' in b && b.error) {
      throw new ApiError(`The server reported an error: ${this.scrub(errorText(b))}`, 'transient', 'server');
    }
    const choice = Array.isArray(b?.choices) ? b.choices[0] : undefined;
    const content = choice?.message?.content;
    if (!choice || (typeof content !== 'string' && content !== null) || !choice.finish_reason) {
      throw this.malformed('an answer without choices[0].message.content and finish_reason');
    }
    const text = content ?? '';
    const visible = stripThink(text);
    if (visible && onDelta) onDelta(visible);
    return { text, finishReason: this.mapFinish(choice.finish_reason), usage: readUsage(b.usage) };
  }

  private mapFinish(reason: string): FinishReason {
    switch (reason) {
      case 'length':
        return 'length';
      case 'content_filter':
        throw new ApiError(
          `The server's content filter stopped the answer of "${this.model}".`,
          'fatal',
          'content-filter',
        );
      default:
        // stop, eos, tool_calls, function_call: the model finished on its own.
        return 'stop';
    }
  }

  /** A JSON body read up to `maxBytes` (an answer's cap, or the models list's); past it, typed oversize. */
  private async readJson(
    response: Response,
    touch: () => void,
    maxBytes: number,
    maxTokens?: number,
  ): Promise<unknown> {
    const text = await readCapped(response, maxBytes, touch);
    if (text === undefined && maxTokens === undefined) {
      throw new ApiError(
        `${this.where('/models')} sent more than ${maxBytes.toLocaleString('en')} bytes: not a list of models.`,
        'fatal',
        'oversize',
      );
    }
    if (text === undefined) {
      throw this.oversize(
        `a body of more than ${maxBytes.toLocaleString('en')} bytes, more than ${(maxTokens ?? 0).toLocaleString('en')} tokens need`,
      );
    }
    try {
      return JSON.parse(text);
    } catch {
      throw this.malformed('a body that is not JSON');
    }
  }

  private oversize(what: string): ApiError {
    return new ApiError(
      `${this.where('/chat/completions')} sent a reply too long for its max tokens (${what}); it was not read further.`,
      'fatal',
      'oversize',
    );
  }

  private malformed(what: string): ApiError {
    return new ApiError(
      `${this.where('/chat/completions')} sent ${what}; it will be asked again.`,
      'transient',
      'malformed',
    );
  }

  /**
   * One HTTP exchange with the inactivity timeout armed. Returns once headers arrived with a 2xx;
   * otherwise throws the mapped error. `touch` restarts the inactivity window as bytes arrive, `done` disarms it,
   * `fail` turns an error met while reading the body into the right ProviderError.
   */
  private async send(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal: AbortSignal,
    onHeaders?: (headers: Headers, status: number) => void,
  ): Promise<{
    response: Response;
    touch: () => void;
    done: () => void;
    fail: (error: unknown) => unknown;
  }> {
    if (signal.aborted) throw abortError(signal);
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One timer per exchange, not one per chunk: `touch` only notes the time, and the timer, when it
    // fires, waits again for whatever is left of the window since the last bytes.
    let lastActivity = performance.now();
    const check = () => {
      const idle = performance.now() - lastActivity;
      if (idle >= this.timeoutMs) {
        timer = undefined;
        timedOut = true;
        controller.abort();
      } else {
        timer = setTimeout(check, this.timeoutMs - idle);
      }
    };
    const touch = () => {
      lastActivity = performance.now();
    };
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      signal.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): unknown => {
      if (signal.aborted) return abortError(signal);
      if (timedOut) {
        return new ApiError(
          `${this.where(path)} sent nothing for ${Math.round(this.timeoutMs / 1000)} s: the call timed out.`,
          'transient',
          'timeout',
        );
      }
      if (error instanceof ProviderError) return error;
      if (isReset(error)) return this.reset(error);
      return new ApiError(
        `The answer from ${this.where(path)} broke off (${describeNetworkError(error)}); it will be asked again.`,
        'transient',
        'truncated',
      );
    };
    timer = setTimeout(check, this.timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (error) {
      done();
      if (signal.aborted || timedOut) throw fail(error);
      throw this.unreachable(error);
    }
    this.reached = true;
    onHeaders?.(response.headers, response.status);
    if (!response.ok) {
      try {
        throw await this.httpError(response, path);
      } catch (error) {
        done();
        throw error instanceof ApiError ? error : fail(error);
      }
    }
    if ((response.headers.get('content-type') ?? '').includes('text/html')) {
      // A web app or a proxy's login page answering in place of the API: retrying will not help.
      done();
      await response.body?.cancel().catch(() => {});
      throw new ApiError(
        `${this.where(path)} answered with a web page, not an OpenAI-compatible API. Check the base URL: it usually ends in /v1.`,
        'unavailable',
        'not-found',
        response.status,
      );
    }
    return { response, touch, done, fail };
  }

  /** The server took the connection and dropped it: it is there, so this is worth another try. */
  private reset(error: unknown): ApiError {
    return new ApiError(
      `${this.where()} reset the connection (${describeNetworkError(error)}): the server is there but dropped the request, often when overloaded or restarting; it will be asked again.`,
      'transient',
      'reset',
    );
  }

  private unreachable(error: unknown): ApiError {
    if (isReset(error)) return this.reset(error);
    const target = this.where();
    const cause = describeNetworkError(error);
    if (this.reached) {
      return new ApiError(`The connection to ${target} failed (${cause}).`, 'transient', 'network');
    }
    const page = pageOrigin();
    if (page === undefined) {
      return new ApiError(
        `Could not reach ${target} (${cause}). Check that the server is running and the URL is right.`,
        'unavailable',
        'network',
      );
    }
    if (mixedContent(page, this.baseUrl)) {
      return new ApiError(
        `Could not reach ${target}: this page is served over https and the browser blocks calls to a plain http:// address. Use an https:// URL for the API.`,
        'unavailable',
        'network',
      );
    }
    return new ApiError(
      `Could not reach ${target}. Either the server is not running at that address, or it refuses requests from this page (CORS). ${corsAdvice(page)}`,
      'unavailable',
      'cors',
    );
  }

  private async httpError(response: Response, path: string): Promise<ApiError> {
    const status = response.status;
    let detail = '';
    try {
      const text = (await readCapped(response, MAX_ERROR_BODY, () => {}, true)) ?? '';
      try {
        detail = errorText(JSON.parse(text));
      } catch {
        detail = text.replace(/<[^>]*>/g, ' ');
      }
    } catch {
      // The body could not be read: the status says enough.
    }
    detail = this.scrub(detail.replace(/\s+/g, ' ').trim()).slice(0, 300);
    const said = detail ? ` The server said: ${detail}` : '';
    const where = this.where(path);
    if (status === 401 || status === 403) {
      const what = this.apiKey
        ? `refused the API key (${status}): check the key and that it may use "${this.model}".`
        : `needs an API key (${status}): enter one in the model settings.`;
      return new ApiError(`${where} ${what}${said}`, 'unavailable', 'auth', status);
    }
    const aboutModel =
      /model/i.test(detail) && /not (be )?found|does not exist|not exist|unknown|no such|pull/i.test(detail);
    if (status === 404 || (status === 400 && aboutModel)) {
      if (aboutModel || (status === 404 && path === '/chat/completions' && /model/i.test(detail))) {
        return new ApiError(
          `${this.where()} has no model "${this.model}". Pick one the server lists (Test connection shows them).${said}`,
          'unavailable',
          'model-not-found',
          status,
        );
      }
      return new ApiError(
        `There is no OpenAI-compatible API at ${where} (404). Check the base URL: it usually ends in /v1.`,
        'unavailable',
        'not-found',
        status,
      );
    }
    if (status === 429 || status === 408 || status === 425 || status === 409) {
      const retryAfterMs = retryAfter(response.headers);
      const wait = retryAfterMs !== undefined ? ` It asks to wait ${Math.ceil(retryAfterMs / 1000)} s.` : '';
      return new ApiError(
        status === 429
          ? `${where} is rate-limiting (429).${wait}${said}`
          : `${where} answered ${status}; it will be asked again.${said}`,
        'transient',
        'rate-limit',
        status,
        retryAfterMs,
      );
    }
    if (status === 501 || status === 505) {
      return new ApiError(
        `${where} does not support this request (${status}).${said}`,
        'unavailable',
        'not-found',
        status,
      );
    }
    if (status >= 500) {
      return new ApiError(
        `${where} failed with ${status}; it will be asked again.${said}`,
        'transient',
        'server',
        status,
        retryAfter(response.headers),
      );
    }
    if (status === 413 || CONTEXT_LENGTH.test(detail))
      return new ApiError(
        `${where} refused the prompt as longer than the model's context (${status}).${said}`,
        'too-large',
        'context-length',
        status,
      );
    return new ApiError(`${where} rejected the request (${status}).${said}`, 'fatal', 'bad-request', status);
  }

  /** Where the call went, for messages: origin and path, never a query string (it may hold a key). */
  where(path = ''): string {
    const url = new URL(this.baseUrl);
    return `${url.origin}${url.pathname}${path}`;
  }

  /** The key, and pieces of it, replaced as everywhere else (format/secrets.ts). */
  private scrub(text: string): string {
    if (!this.apiKey || this.apiKey.length < 4) return text;
    return redactSecrets(text.split(this.apiKey).join(REDACTED), [this.apiKey]).value;
  }
}

/** The models list: thousands of entries on a hosted API fit in far less. */
const MAX_MODELS_BYTES = 8 * 1024 * 1024;

interface RawAnswer {
  text: string;
  finishReason: FinishReason;
  usage: TokenUsage | undefined;
}

interface StreamChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
}

interface CompletionBody {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
}

/** Why a body is cancelled once its answer is whole (or a chunk was malformed): nothing reads it after. */
const STREAM_FINISHED = new Error('The answer was read; the rest of the stream is not needed.');

/** A signal that never fires, for calls made without one. */
function neverSignal(): AbortSignal {
  return new AbortController().signal;
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The leaf call was aborted.', 'AbortError');
}

function errorText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (!body || typeof body !== 'object') return '';
  const b = body as { error?: unknown; message?: unknown; detail?: unknown };
  if (typeof b.error === 'string') return b.error;
  if (b.error && typeof b.error === 'object') {
    const m = (b.error as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  }
  if (typeof b.message === 'string') return b.message;
  if (typeof b.detail === 'string') return b.detail;
  return JSON.stringify(body).slice(0, 300);
}

function retryAfter(headers: Headers): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/**
 * A body as text, read chunk by chunk: undefined once it passes `maxBytes` (the rest is not read), or,
 * with `cut`, the first `maxBytes` bytes.
 */
export async function readCapped(
  response: Response,
  maxBytes: number,
  touch: () => void,
  cut = false,
): Promise<string | undefined> {
  const body = response.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    touch();
    if (size + value.byteLength > maxBytes) {
      if (cut) chunks.push(value.subarray(0, maxBytes - size));
      await reader.cancel(STREAM_FINISHED).catch(() => {});
      if (!cut) return undefined;
      size = maxBytes;
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** Codes Node's fetch (undici) gives when a server accepted the connection and then dropped it. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);

function isReset(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RESET_CODES.has(code)) return true;
    if (/other side closed|socket hang up/i.test(String((e as { message?: unknown }).message ?? '')))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return cause?.message ?? error.message;
}

/** How to let a page call the common servers. */
export function corsAdvice(page: string): string {
  return (
    `Ollama: start it with OLLAMA_ORIGINS=${page} (or *). LM Studio: turn on "Enable CORS" in the server settings. ` +
    `vLLM and SGLang allow all origins unless --allowed-origins says otherwise; a hosted API must allow browser requests.`
  );
}

function pageOrigin(): string | undefined {
  const loc = (globalThis as { location?: { origin?: string } }).location;
  return typeof loc?.origin === 'string' && loc.origin !== 'null' ? loc.origin : undefined;
}

function estimatePromptTokens(messages: ChatMessage[]): number {
  // Chat templates add a few tokens of framing per message.
  return messages.reduce((sum, m) => sum + estimateTokenizer.count(m.content) + 4, 0);
}

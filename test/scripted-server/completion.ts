/**
 * TEST DOUBLE: one completion of the scripted model, shared by the in-process LeafModel double
 * (workers/lang/testing/scripted-model.ts) and the OpenAI-compatible scripted server: the window check
 * (a prompt over the window is refused with a context-length error shaped like vLLM's or llama.cpp's), the
 * reading of the prompt against ground truth (reader.ts), and the max_tokens cut.
 */
import { rlmPolicyReply } from '../rlm-policy/policy.ts';
import { type Basis, type ReadOptions, type ReadRequest, readPrompt } from './reader.ts';
import { firstTokens, scriptedPromptTokens, scriptedTokenCount } from './tokenizer.ts';

export type ContextErrorStyle = 'vllm' | 'llama.cpp';

export interface ScriptedSettings extends ReadOptions {
  /** The window in tokens (prompt and answer together). */
  contextWindow: number;
  /** Whose context-length error to imitate (default vLLM's). */
  contextErrors?: ContextErrorStyle;
}

export interface CompletionRequest extends ReadRequest {
  maxTokens?: number;
}

export type Completion =
  | {
      ok: true;
      text: string;
      basis: Basis;
      finishReason: 'stop' | 'length';
      promptTokens: number;
      completionTokens: number;
    }
  | {
      ok: false;
      /** HTTP status and body as the imitated server sends them. */
      status: 400;
      body: unknown;
      message: string;
      promptTokens: number;
    };

/** `prefix` is text the model writes before its answer (a `<think>` block). */
export function scriptedCompletion(
  request: CompletionRequest,
  settings: ScriptedSettings,
  prefix = '',
): Completion {
  const window = settings.contextWindow;
  const promptTokens = scriptedPromptTokens(request.messages);
  const style = settings.contextErrors ?? 'vllm';
  if (style === 'vllm') {
    const asked = request.maxTokens ?? Math.max(1, window - promptTokens);
    if (promptTokens + asked > window) {
      const message = `This model's maximum context length is ${window} tokens. However, you requested ${promptTokens + asked} tokens (${promptTokens} in the messages, ${asked} in the completion). Please reduce the length of the messages or completion.`;
      return {
        ok: false,
        status: 400,
        message,
        body: { object: 'error', message, type: 'BadRequestError', param: null, code: 400 },
        promptTokens,
      };
    }
  } else if (promptTokens >= window) {
    const message =
      'the request exceeds the available context size. try increasing the context size or enable context shift';
    return {
      ok: false,
      status: 400,
      message,
      body: {
        error: {
          code: 400,
          message,
          type: 'exceed_context_size_error',
          n_prompt_tokens: promptTokens,
          n_ctx: window,
        },
      },
      promptTokens,
    };
  }
  // A root prompt of RLM mode is answered with code, by the policy a model following that prompt would have.
  const policy = rlmPolicyReply(request.messages);
  const reading =
    policy !== undefined ? { text: policy, basis: 'rlm-policy' as const } : readPrompt(request, settings);
  const full = prefix + reading.text;
  // llama.cpp stops where the window ends; both stop at max_tokens.
  const room = Math.min(request.maxTokens ?? Number.POSITIVE_INFINITY, window - promptTokens);
  const fullTokens = scriptedTokenCount(full);
  const text = fullTokens > room ? firstTokens(full, room) : full;
  return {
    ok: true,
    text,
    basis: reading.basis,
    finishReason: fullTokens > room ? 'length' : 'stop',
    promptTokens,
    completionTokens: scriptedTokenCount(text),
  };
}

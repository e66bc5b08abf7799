/**
 * TEST DOUBLE. A LeafModel over the scripted model of test/scripted-server/ (the same reading as the
 * scripted OpenAI-compatible server, so unit tests, end-to-end tests and benchmarks agree on what a right
 * answer is). It is given the samples' ground truth out of band through its options and answers a prompt
 * only from the evidence the prompt holds, in the request's declared output format, with the sentinel when
 * the evidence is missing. It counts tokens its own way and refuses a prompt over its window with a
 * context-length error, as vLLM does (or llama.cpp, by option). Latency, streaming and faults can be
 * injected; with none, it is deterministic.
 */

import { type ContextErrorStyle, scriptedCompletion } from '../../../test/scripted-server/completion.ts';
import { type Basis, NO_TRUTH_ANSWER } from '../../../test/scripted-server/reader.ts';
import { scriptedPromptTokens, scriptedTokenCount } from '../../../test/scripted-server/tokenizer.ts';
import type { Tokenizer } from '../plan/tokenizer.ts';
import type { LeafModel, LeafRequest, LeafResponse } from '../run/provider.ts';
import { ProviderError } from '../run/provider.ts';
import type { GroundTruth } from '../samples/truth.ts';

export { NO_TRUTH_ANSWER };

/** What the double does on one call instead of answering: throw this error, or never answer. */
export type ScriptedFault = Error | 'hang' | undefined;

export interface ScriptedModelOptions {
  id?: string;
  concurrency?: number;
  /** Window in tokens, counted the double's way (default 4096). */
  contextWindow?: number;
  /** The samples' ground truth: what the double knows when the evidence is in a prompt. */
  truth?: GroundTruth | readonly GroundTruth[];
  /** What it answers when the evidence is missing (default NOT_FOUND). */
  sentinel?: string;
  /** Whose context-length error it imitates (default vLLM's: prompt + max tokens over the window). */
  contextErrors?: ContextErrorStyle;
  /** Offer its tokenizer to the planner (as a provider with the model's own tokenizer does); default off. */
  shareTokenizer?: boolean;
  /** Offer its own count of a prompt (as a server's tokenize endpoint does); default off. */
  countTokens?: boolean;
  /** Milliseconds before answering (per call; 0 answers on the next microtask). */
  latencyMs?: number | ((request: LeafRequest, index: number) => number);
  /** Called for every call with its 0-based index, before answering. */
  fault?: (index: number, request: LeafRequest) => ScriptedFault;
  /** Stream the answer in pieces of this many characters through onDelta. */
  streamChunk?: number;
  /** Replace the answer (after the reading), e.g. junk for parse-failure tests. */
  rewrite?: (text: string, request: LeafRequest, index: number) => string;
}

export interface ScriptedModel extends LeafModel {
  /** Every request made, in order. */
  readonly requests: LeafRequest[];
  /** What each answered request's reply was made from (by request index), or `too-long` when refused. */
  readonly bases: (Basis | 'too-long')[];
  /** How many calls are in flight right now, and the most there ever were. */
  readonly inFlight: { now: number; peak: number };
  /** Replaces what the double knows (out of band, as the `truth` option does), for the calls that follow. */
  know(truth: GroundTruth | readonly GroundTruth[]): void;
}

/** The double's token count, for tests that check prompts against its window. */
export const scriptedTokenizer: Tokenizer = { name: 'scripted test double', count: scriptedTokenCount };

export function createScriptedModel(options: ScriptedModelOptions = {}): ScriptedModel {
  const requests: LeafRequest[] = [];
  const bases: (Basis | 'too-long')[] = [];
  const inFlight = { now: 0, peak: 0 };
  const contextWindow = options.contextWindow ?? 4096;
  const list = (t: GroundTruth | readonly GroundTruth[] | undefined): readonly GroundTruth[] =>
    t === undefined ? [] : Array.isArray(t) ? t : [t as GroundTruth];
  let truth = list(options.truth);
  return {
    id: options.id ?? 'scripted-test-double',
    capabilities: {
      concurrency: options.concurrency ?? 4,
      contextWindow,
      ...(options.shareTokenizer ? { tokenizer: scriptedTokenizer } : {}),
      ...(options.countTokens ? { countTokens: async (messages) => scriptedPromptTokens(messages) } : {}),
    },
    requests,
    bases,
    inFlight,
    know(next) {
      truth = list(next);
    },
    async complete(request, { signal, onDelta }): Promise<LeafResponse> {
      const index = requests.length;
      requests.push(request);
      inFlight.now++;
      inFlight.peak = Math.max(inFlight.peak, inFlight.now);
      try {
        const fault = options.fault?.(index, request);
        const latency =
          typeof options.latencyMs === 'function'
            ? options.latencyMs(request, index)
            : (options.latencyMs ?? 0);
        if (fault === 'hang') await waitForAbort(signal);
        else if (latency > 0) await delay(latency, signal);
        if (signal.aborted) throw new DOMException('aborted', 'AbortError');
        if (fault instanceof Error) throw fault;
        const done = scriptedCompletion(
          { messages: request.messages, maxTokens: request.maxTokens, jsonSchema: request.jsonSchema },
          {
            truth,
            contextWindow,
            ...(options.sentinel !== undefined ? { sentinel: options.sentinel } : {}),
            ...(options.contextErrors ? { contextErrors: options.contextErrors } : {}),
          },
        );
        if (!done.ok) {
          bases[index] = 'too-long';
          throw new ProviderError(done.message, 'too-large', done.status);
        }
        bases[index] = done.basis;
        let text = done.text;
        if (options.rewrite) text = options.rewrite(text, request, index);
        if (onDelta && options.streamChunk) {
          for (let i = 0; i < text.length; i += options.streamChunk)
            onDelta(text.slice(i, i + options.streamChunk));
        }
        return {
          text,
          usage: { promptTokens: done.promptTokens, completionTokens: scriptedTokenCount(text) },
          finishReason: options.rewrite ? 'stop' : done.finishReason,
        };
      } finally {
        inFlight.now--;
      }
    },
  };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

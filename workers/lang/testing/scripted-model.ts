/**
 * TEST DOUBLE. A LeafModel that answers the example plans' leaf prompts by the rules of docs/examples.md,
 * using the very rules of the scripted OpenAI-compatible server (test/scripted-server/rules.ts), so unit
 * tests, end-to-end tests and benchmarks agree on what a right answer is. Latency, streaming and
 * failures can be injected; with none, it is deterministic.
 */
import { rlmPolicyReply } from '../../../test/rlm-policy/policy.ts';
import { scriptedAnswer } from '../../../test/scripted-server/rules.ts';
import { estimateTokenizer } from '../plan/tokenizer.ts';
import type { LeafModel, LeafRequest, LeafResponse } from '../run/provider.ts';

/** What the double does on one call instead of answering: throw this error, or never answer. */
export type ScriptedFault = Error | 'hang' | undefined;

export interface ScriptedModelOptions {
  id?: string;
  concurrency?: number;
  contextWindow?: number;
  /** Milliseconds before answering (per call; 0 answers on the next microtask). */
  latencyMs?: number | ((request: LeafRequest, index: number) => number);
  /** Called for every call with its 0-based index, before answering. */
  fault?: (index: number, request: LeafRequest) => ScriptedFault;
  /** Stream the answer in pieces of this many characters through onDelta. */
  streamChunk?: number;
  /** Replace the answer (after the rules ran), e.g. junk for parse-failure tests. */
  rewrite?: (text: string, request: LeafRequest, index: number) => string;
}

export interface ScriptedModel extends LeafModel {
  /** Every request made, in order. */
  readonly requests: LeafRequest[];
  /** How many calls are in flight right now, and the most there ever were. */
  readonly inFlight: { now: number; peak: number };
}

export function createScriptedModel(options: ScriptedModelOptions = {}): ScriptedModel {
  const requests: LeafRequest[] = [];
  const inFlight = { now: 0, peak: 0 };
  return {
    id: options.id ?? 'scripted-test-double',
    capabilities: { concurrency: options.concurrency ?? 4, contextWindow: options.contextWindow ?? 4096 },
    requests,
    inFlight,
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
        let text = rlmPolicyReply(request.messages) ?? scriptedAnswer(request.messages).text;
        if (options.rewrite) text = options.rewrite(text, request, index);
        if (onDelta && options.streamChunk) {
          for (let i = 0; i < text.length; i += options.streamChunk)
            onDelta(text.slice(i, i + options.streamChunk));
        }
        const prompt = request.messages.reduce((n, m) => n + estimateTokenizer.count(m.content), 0);
        return {
          text,
          usage: { promptTokens: prompt, completionTokens: estimateTokenizer.count(text) },
          finishReason: 'stop',
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

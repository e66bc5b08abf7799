/// <reference lib="webworker" />
/**
 * The RLM sandbox's own Web Worker: QuickJS (WebAssembly) runs model-written cells here, away from the
 * page and from the runtime worker, so a runaway cell blocks nothing else and can be killed outright.
 * It is started only when an RLM run starts, and its WebAssembly is fetched from this site (no network
 * beyond it). Messages: sandbox-protocol.ts.
 */
import wasmLocation from '@jitl/quickjs-wasmfile-release-sync/wasm?url';
import type { QuickJSSyncVariant } from 'quickjs-emscripten-core';
import { createQuickJsSandbox } from './quickjs-sandbox.ts';
import type { Sandbox } from './sandbox.ts';
import type { FromSandbox, ToSandbox } from './sandbox-protocol.ts';

const post = (message: FromSandbox) => self.postMessage(message);
let sandbox: Sandbox | null = null;
let nextQuery = 0;
const waiting = new Map<number, (reply: Extract<ToSandbox, { type: 'answers' }>) => void>();
let stop: AbortController | null = null;

async function variant(): Promise<QuickJSSyncVariant> {
  const [{ newVariant }, base] = await Promise.all([
    import('quickjs-emscripten-core'),
    import('@jitl/quickjs-wasmfile-release-sync'),
  ]);
  return newVariant(base.default as QuickJSSyncVariant, { wasmLocation });
}

self.onmessage = async (event: MessageEvent<ToSandbox>) => {
  const message = event.data;
  switch (message.type) {
    case 'init': {
      try {
        sandbox = await createQuickJsSandbox(message.limits, { variant: await variant() });
        await sandbox.load(message.context, message.query);
        post({ type: 'ready' });
      } catch (e) {
        post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    case 'run': {
      if (!sandbox) {
        post({ type: 'failed', message: 'the sandbox was not started' });
        return;
      }
      stop = new AbortController();
      const result = await sandbox.run(
        message.code,
        {
          llmQuery: (prompts) =>
            new Promise((resolve) => {
              const id = nextQuery++;
              waiting.set(id, (reply) => resolve({ answers: reply.answers, stop: reply.stop }));
              post({ type: 'query', id, prompts });
            }),
        },
        { ...(message.stopAt !== undefined ? { stopAt: message.stopAt } : {}), signal: stop.signal },
      );
      stop = null;
      // A sandbox that had to be given up (out of memory, crashed) ends this worker: the host starts another.
      post({ type: 'cell', result, alive: sandbox.alive });
      return;
    }
    case 'answers': {
      const resolve = waiting.get(message.id);
      waiting.delete(message.id);
      resolve?.(message);
      return;
    }
    case 'stop':
      stop?.abort();
      return;
    case 'read':
      post({
        type: 'read',
        result: sandbox ? await sandbox.readVariable(message.name) : { ok: false, message: 'no sandbox' },
      });
      return;
  }
};

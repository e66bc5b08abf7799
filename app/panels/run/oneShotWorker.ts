/**
 * One job in a worker of its own: post the request, take the first reply, end the worker. For heavy work
 * the page does now and then (reading an imported log, building an export). The caller makes the Worker
 * (`new Worker(new URL('./x.worker.ts', import.meta.url), …)` must stay literal for Vite to bundle it).
 */
export function oneShotWorker<Reply>(
  worker: Worker,
  request: unknown,
  failed: (message: string) => Reply,
): Promise<Reply> {
  return new Promise((resolve) => {
    worker.onmessage = (e: MessageEvent<Reply>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      resolve(failed(e.message));
    };
    worker.postMessage(request);
  });
}

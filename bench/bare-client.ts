/**
 * The floor the runtime is measured against: the same chat requests sent with nothing but `fetch`, a fixed
 * number in flight, each streamed answer read to its end and thrown away. No planner, evaluator,
 * scheduler, SSE parsing or trace. What the runtime takes beyond this is its own overhead.
 */
import type { LeafRequest } from '../workers/lang/run/provider.ts';

export async function bareClient(
  baseUrl: string,
  model: string,
  requests: readonly LeafRequest[],
  concurrency: number,
): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      const response = await fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model,
          messages: r.messages,
          max_tokens: r.maxTokens,
          temperature: r.temperature,
          stream: true,
          stream_options: { include_usage: true },
        }),
      });
      if (!response.ok) throw new Error(`the scripted server answered ${response.status}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return performance.now() - t0;
}

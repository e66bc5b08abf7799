/**
 * TEST HELPER: checks received spans against the run log they came from, with the page's own reducer
 * (app/store/run.ts) as the judge of what the recursion tree is. Returns every problem found, in words;
 * an empty list means the spans are the run: one trace; one workflow root; one span per call, under the
 * span of the call's parent; one `chat` span per request sent to a model, under its call, carrying the
 * log's tokens and finish reason; every child inside its parent's time.
 */
import { runFromLog } from '../../app/store/run.ts';
import type { TraceEvent } from '../../workers/lang/index.ts';
import type { ReceivedSpan } from './decode.ts';

export function spanTreeProblems(spans: readonly ReceivedSpan[], events: readonly TraceEvent[]): string[] {
  const problems: string[] = [];
  const run = runFromLog(events);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  if (byId.size !== spans.length) problems.push('two spans share an id');
  const traces = new Set(spans.map((s) => s.traceId));
  if (traces.size !== 1) problems.push(`spans of ${traces.size} traces, expected 1`);

  const roots = spans.filter((s) => s.parentSpanId === '');
  if (roots.length !== 1) problems.push(`${roots.length} root spans, expected the workflow alone`);
  const root = roots[0];
  if (root && root.attributes['gen_ai.operation.name'] !== 'invoke_workflow')
    problems.push(`the root span is ${root.name}, not the workflow`);

  const callSpan = new Map<string, ReceivedSpan>();
  for (const s of spans) {
    const id = s.attributes['fixpoint.call.id'];
    if (typeof id !== 'string') continue;
    if (callSpan.has(id)) problems.push(`call ${id} has two spans`);
    callSpan.set(id, s);
  }
  if (callSpan.size !== run.calls.size)
    problems.push(`${callSpan.size} call spans for ${run.calls.size} calls`);

  const chatsUnder = new Map<string, ReceivedSpan[]>();
  for (const s of spans) {
    if (s.attributes['gen_ai.operation.name'] !== 'chat') continue;
    const list = chatsUnder.get(s.parentSpanId) ?? [];
    list.push(s);
    chatsUnder.set(s.parentSpanId, list);
  }
  let sent = 0;
  for (const call of run.calls.values()) {
    const span = callSpan.get(call.id);
    if (!span) {
      problems.push(`call ${call.id} has no span`);
      continue;
    }
    const parent = call.parentId === null ? root : callSpan.get(call.parentId);
    if (!parent || span.parentSpanId !== parent.spanId)
      problems.push(`call ${call.id}'s span is not under ${call.parentId ?? 'the workflow'}`);
    else if (span.startNs < parent.startNs || span.endNs > parent.endNs)
      problems.push(`call ${call.id}'s span is outside its parent's time`);
    if (span.attributes['fixpoint.node.id'] !== call.nodeId) problems.push(`call ${call.id}: wrong node id`);
    const failed = call.status === 'error';
    if ((span.status.code === 2) !== failed)
      problems.push(`call ${call.id} is ${call.status} but its span status is ${span.status.code}`);

    const chats = chatsUnder.get(span.spanId) ?? [];
    const expected = call.leaf && !call.cached ? 1 : 0;
    sent += expected;
    if (chats.length !== expected)
      problems.push(`call ${call.id} has ${chats.length} chat spans, expected ${expected}`);
    const chat = chats[0];
    if (!chat || expected === 0) continue;
    if (chat.kind !== 3) problems.push(`call ${call.id}: a chat span is kind ${chat.kind}, not client`);
    if (chat.startNs < span.startNs || chat.endNs > span.endNs)
      problems.push(`call ${call.id}'s chat span is outside the call's time`);
    if (call.finishReason !== null) {
      if (chat.attributes['gen_ai.usage.input_tokens'] !== call.promptTokens)
        problems.push(
          `call ${call.id}: input tokens ${chat.attributes['gen_ai.usage.input_tokens']}, log ${call.promptTokens}`,
        );
      if (chat.attributes['gen_ai.usage.output_tokens'] !== call.completionTokens)
        problems.push(
          `call ${call.id}: output tokens ${chat.attributes['gen_ai.usage.output_tokens']}, log ${call.completionTokens}`,
        );
      const reasons = chat.attributes['gen_ai.response.finish_reasons'];
      if (!Array.isArray(reasons) || reasons[0] !== call.finishReason)
        problems.push(`call ${call.id}: finish reasons ${JSON.stringify(reasons)}, log ${call.finishReason}`);
    }
  }
  const chatSpans = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
  if (chatSpans.length !== sent) problems.push(`${chatSpans.length} chat spans for ${sent} requests sent`);
  const expectedSpans = 1 + run.calls.size + sent;
  if (spans.length !== expectedSpans) problems.push(`${spans.length} spans, expected ${expectedSpans}`);
  return problems;
}

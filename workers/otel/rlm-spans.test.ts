/** An RLM run's log (rlm.start, no plan) exports as spans nested like its tree: iterations → cells → llm_query. */
import { describe, expect, it } from 'vitest';
import { decodeOtlpJson } from '../../test/otlp-receiver/decode.ts';
import { spanTreeProblems } from '../../test/otlp-receiver/span-tree.ts';
import { sampleGenerators, type TraceEvent } from '../lang/index.ts';
import { createScriptedModel } from '../lang/testing/scripted-model.ts';
import { runRlm } from '../rlm/index.ts';
import { otlpFileFromLog } from './otlp-json.ts';

describe('an RLM run as OpenTelemetry spans', () => {
  it('nests as its tree, one chat span per model call, named as an RLM run', async () => {
    const sample = sampleGenerators.sniah!.generate({ tokens: 8000, seed: 4 });
    const events: TraceEvent[] = [];
    const outcome = await runRlm({
      input: sample.text,
      query: sample.query as string,
      model: createScriptedModel({ contextWindow: 4096 }),
      onEvent: (e) => events.push(e),
    });
    expect(outcome.ok).toBe(true);
    const spans = decodeOtlpJson(new TextDecoder().decode(otlpFileFromLog(events).bytes)).flatMap(
      (b) => b.spans,
    );
    expect(spanTreeProblems(spans, events)).toEqual([]);
    const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.length).toBe(events.filter((e) => e.type === 'leaf.done').length);
    expect(spans.some((s) => s.name.includes('RLM'))).toBe(true);
  });
});

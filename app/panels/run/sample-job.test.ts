import { describe, expect, it } from 'vitest';
import { estimateTokenizer, sampleGenerator } from '../../../workers/lang/index.ts';
import { runSampleJob, type SampleMessage } from './sample-job.ts';

describe('the sample worker job', () => {
  it('reports rising progress, then the generator’s own document with its token count', () => {
    const out: SampleMessage[] = [];
    runSampleJob({ generator: 'sniah', tokens: 50_000, seed: 4 }, (m) => out.push(m));
    const progress = out.filter((m) => m.type === 'progress').map((m) => m.fraction);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const done = out.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    const direct = sampleGenerator('sniah')!.generate({ tokens: 50_000, seed: 4 });
    expect(done.text).toBe(direct.text);
    expect(done.query).toBe(direct.query);
    expect(done.expected).toEqual(direct.expected);
    expect(done.tokens).toBe(estimateTokenizer.count(direct.text));
  });

  it('answers an unknown generator with an error message, not a throw', () => {
    const out: SampleMessage[] = [];
    runSampleJob({ generator: 'nope', tokens: 1000, seed: 1 }, (m) => out.push(m));
    expect(out).toEqual([{ type: 'error', error: expect.stringMatching(/no sample generator named/) }]);
  });
});

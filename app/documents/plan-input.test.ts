import { afterEach, describe, expect, it } from 'vitest';
import { emptyPlan } from '../editor/plan-edit.ts';
import type { SampleJob } from '../panels/run/sample-job.ts';
import { setSampleWorkerFactory, stopSampleGeneration } from '../panels/run/sampleGeneration.ts';
import { inputText, setInputText, useInput } from '../store/input.ts';
import { preparePlanInput } from './plan-input.ts';

const jobs: SampleJob[] = [];
/** TEST DOUBLE for the sample worker: records the job, never answers. */
const restore = setSampleWorkerFactory(() => ({
  postMessage: (job) => void jobs.push(job),
  terminate: () => {},
  onmessage: null,
  onerror: null,
}));
afterEach(() => {
  stopSampleGeneration();
  jobs.length = 0;
});
afterEach(() => void setSampleWorkerFactory(restore));

const withGenerator = {
  ...emptyPlan('Needle'),
  input: { generator: { name: 'sniah', params: { tokens: 16_000, seed: 3 } } },
};

describe("a plan's own input", () => {
  it('a generator makes the sample, at the plan’s size and seed', () => {
    setInputText('', 'none');
    expect(preparePlanInput(withGenerator)).toBe('sample');
    expect(jobs).toEqual([{ generator: 'sniah', tokens: 16_000, seed: 3 }]);
    expect(useInput.getState().generating).not.toBeNull();
  });

  it('inline text becomes the input, replacing a sample', () => {
    setInputText('an older sample', 'sample', 'sniah');
    expect(preparePlanInput({ ...emptyPlan('Small'), input: { text: 'Inline document.' } })).toBe('inline');
    expect(inputText()).toBe('Inline document.');
  });

  it('the user’s own document is kept, and nothing is generated', () => {
    setInputText('my pasted report', 'paste');
    expect(preparePlanInput(withGenerator)).toBe('kept');
    expect(jobs).toEqual([]);
    expect(inputText()).toBe('my pasted report');
  });

  it('a plan without an input of its own leaves the input alone', () => {
    setInputText('a sample', 'sample');
    expect(preparePlanInput(emptyPlan())).toBe('none');
    expect(inputText()).toBe('a sample');
  });
});

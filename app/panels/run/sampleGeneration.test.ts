import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inputText, setInputText, useInput } from '../../store/input.ts';
import { runSampleJob, type SampleJob, type SampleMessage } from './sample-job.ts';
import {
  generateSample,
  MAX_SAMPLE_TOKENS,
  type SampleWorker,
  setSampleWorkerFactory,
  stopSampleGeneration,
} from './sampleGeneration.ts';

/**
 * TEST DOUBLE for the sample worker: runs the real job, but hands its messages over only when the test says
 * (`deliver`), the way a worker's messages arrive later, on the page's own turn.
 */
class SteppedWorker implements SampleWorker {
  onmessage: ((e: MessageEvent<SampleMessage>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  queued: SampleMessage[] = [];
  terminated = false;
  postMessage(job: SampleJob): void {
    runSampleJob(job, (m) => this.queued.push(m));
  }
  terminate(): void {
    this.terminated = true;
  }
  deliver(count = Number.POSITIVE_INFINITY): void {
    while (count-- > 0 && this.queued.length > 0 && !this.terminated)
      this.onmessage?.({ data: this.queued.shift()! } as MessageEvent<SampleMessage>);
  }
}

let workers: SteppedWorker[] = [];
let restore: () => SampleWorker;

beforeEach(() => {
  workers = [];
  restore = setSampleWorkerFactory(() => {
    const w = new SteppedWorker();
    workers.push(w);
    return w;
  });
  setInputText('', 'none');
});
afterEach(() => {
  stopSampleGeneration();
  setSampleWorkerFactory(restore);
});

describe('sample generation in a worker', () => {
  it('shows progress while the worker builds the sample, then makes it the input', async () => {
    const outcome = generateSample({ generator: 'oolong', tokens: 20_000, seed: 2 });
    const w = workers[0]!;
    expect(useInput.getState().generating).toMatchObject({ fraction: 0 });
    w.deliver(5);
    const mid = useInput.getState().generating!.fraction;
    expect(mid).toBeGreaterThan(0);
    expect(mid).toBeLessThan(1);
    expect(inputText()).toBe('');
    w.deliver();
    expect(await outcome).toBe('done');
    expect(useInput.getState().generating).toBeNull();
    expect(useInput.getState().meta).toMatchObject({ source: 'sample' });
    expect(inputText().length).toBeGreaterThanOrEqual(80_000);
    expect(useInput.getState().expected?.generator).toBe('oolong');
    expect(w.terminated).toBe(true);
  });

  it('stops: the worker is terminated and the input stays as it was', async () => {
    setInputText('my own text', 'paste');
    const outcome = generateSample({ generator: 'sniah', tokens: 20_000, seed: 1 });
    workers[0]!.deliver(3);
    expect(stopSampleGeneration()).toBe(true);
    expect(await outcome).toBe('stopped');
    expect(workers[0]!.terminated).toBe(true);
    expect(useInput.getState().generating).toBeNull();
    expect(inputText()).toBe('my own text');
    // Messages still in flight from the stopped worker change nothing.
    workers[0]!.terminated = false;
    workers[0]!.deliver();
    expect(inputText()).toBe('my own text');
  });

  it('never replaces text the user gave while it was being made', async () => {
    const outcome = generateSample({ generator: 'sniah', tokens: 20_000, seed: 1 });
    workers[0]!.deliver(3);
    setInputText('pasted meanwhile', 'paste');
    workers[0]!.deliver();
    expect(await outcome).toBe('stopped');
    expect(inputText()).toBe('pasted meanwhile');
    expect(useInput.getState().expected).toBeNull();
  });

  it('a new generation stops the one running', async () => {
    const first = generateSample({ generator: 'sniah', tokens: 20_000, seed: 1 });
    const second = generateSample({ generator: 'summary', tokens: 2_000, seed: 1 });
    expect(await first).toBe('stopped');
    workers[1]!.deliver();
    expect(await second).toBe('done');
    expect(useInput.getState().expected?.generator).toBe('summary');
  });

  it('refuses a size past the limit in words, without starting a worker', async () => {
    expect(await generateSample({ generator: 'sniah', tokens: 1e12, seed: 1 })).toBe('failed');
    expect(workers).toHaveLength(0);
    expect(useInput.getState().error).toMatch(/largest this page builds is 8,000,000 tokens/);
    expect(MAX_SAMPLE_TOKENS).toBe(8_000_000);
  });

  it('a worker that dies (out of memory) is reported and the page carries on', async () => {
    const outcome = generateSample({ generator: 'sniah', tokens: 2_000, seed: 1 });
    workers[0]!.onerror?.({ message: '' } as ErrorEvent);
    expect(await outcome).toBe('failed');
    expect(useInput.getState().error).toMatch(/out of memory/);
    expect(useInput.getState().generating).toBeNull();
  });
});

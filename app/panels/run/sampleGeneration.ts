/**
 * Generating an example's sample, from the Input tab or the first visit: in a worker (`sample.worker.ts`),
 * with progress in the input store and a Stop that terminates the worker. The page never runs a generator
 * itself, so a large sample (or a link asking for one) cannot freeze it.
 */
import { useDocument } from '../../store/document.ts';
import { setInputText, useInput } from '../../store/input.ts';
import { int } from '../../trace/format.ts';
import type { SampleJob, SampleMessage } from './sample-job.ts';

/** The largest sample the page builds: 8M tokens is about 32 MB of text, as large as files people open here. */
export const MAX_SAMPLE_TOKENS = 8_000_000;

/** What the generation needs from a worker (a real one in the page, a test double in unit tests). */
export interface SampleWorker {
  postMessage(job: SampleJob): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<SampleMessage>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

let makeWorker = (): SampleWorker =>
  new Worker(new URL('./sample.worker.ts', import.meta.url), { type: 'module' }) as unknown as SampleWorker;

/** For unit tests: the worker factory (returns the previous one). */
export function setSampleWorkerFactory(f: () => SampleWorker): () => SampleWorker {
  const previous = makeWorker;
  makeWorker = f;
  return previous;
}

export type SampleOutcome = 'done' | 'stopped' | 'failed';

let running: { worker: SampleWorker; settle: (o: SampleOutcome) => void } | null = null;

export interface SampleRequest extends SampleJob {
  /** Shown while it runs and as the input's name, e.g. "sniah · 16,000 tokens · seed 1". */
  label?: string;
}

/**
 * Builds a sample and makes it the input (with its query and expected answer). A generation already running
 * is stopped first. Resolves when it ended, however it ended; errors are put in the input store in words.
 */
export function generateSample(req: SampleRequest): Promise<SampleOutcome> {
  stopSampleGeneration();
  const label = req.label ?? `${req.generator} · ${int(req.tokens)} tokens · seed ${req.seed}`;
  if (!Number.isFinite(req.tokens) || req.tokens <= 0 || req.tokens > MAX_SAMPLE_TOKENS) {
    useInput.setState({
      error: `A sample of ${Number.isFinite(req.tokens) ? int(req.tokens) : String(req.tokens)} tokens was not generated: the largest this page builds is ${int(MAX_SAMPLE_TOKENS)} tokens (about ${MAX_SAMPLE_TOKENS / 250_000} MB).`,
    });
    return Promise.resolve('failed');
  }
  let worker: SampleWorker;
  try {
    worker = makeWorker();
  } catch (e) {
    useInput.setState({ error: `The sample could not be generated: ${String(e)}` });
    return Promise.resolve('failed');
  }
  useInput.setState({ generating: { label, fraction: 0 }, error: null });
  // Text the user gives meanwhile (a paste, a file) is newer than the sample: the sample then does not replace it.
  const versionAtStart = useInput.getState().meta.version;
  const queryAtStart = useDocument.getState().plan.query;
  return new Promise<SampleOutcome>((resolve) => {
    const job = {
      worker,
      settle: (outcome: SampleOutcome) => {
        if (running !== job) return;
        running = null;
        worker.terminate();
        useInput.setState({ generating: null });
        resolve(outcome);
      },
    };
    running = job;
    worker.onmessage = (e) => {
      const m = e.data;
      if (running !== job) return;
      if (m.type === 'progress') {
        useInput.setState({ generating: { label, fraction: m.fraction } });
      } else if (m.type === 'done') {
        if (useInput.getState().meta.version !== versionAtStart) {
          job.settle('stopped');
          return;
        }
        setInputText(m.text, 'sample', label, { tokens: m.tokens });
        useInput.setState({ expected: { generator: req.generator, value: m.expected } });
        // The sample's question, unless the user wrote their own meanwhile.
        if (m.query && useDocument.getState().plan.query === queryAtStart)
          useDocument.getState().setQuery(m.query);
        job.settle('done');
      } else {
        useInput.setState({ error: `The sample could not be generated: ${m.error}.` });
        job.settle('failed');
      }
    };
    worker.onerror = (e) => {
      // Out of memory or a crash inside the worker: the page lives on and says so.
      useInput.setState({
        error: `The sample could not be generated: ${e.message || 'the generator stopped (out of memory?)'}.`,
      });
      job.settle('failed');
    };
    worker.postMessage({ generator: req.generator, tokens: req.tokens, seed: req.seed });
  });
}

/** Stops the generation in progress, if any: the worker is terminated and the input left as it was. */
export function stopSampleGeneration(): boolean {
  if (!running) return false;
  running.settle('stopped');
  return true;
}

/// <reference lib="webworker" />
/**
 * Builds an example's sample document off the page's main thread: a large sample takes seconds, and a share
 * link may ask for one. One worker per generation; stopping it is `terminate()`, which works even in the
 * middle of the generator's loop.
 */
import { runSampleJob, type SampleJob } from './sample-job.ts';

self.onmessage = (e: MessageEvent<SampleJob>) => runSampleJob(e.data, (m) => self.postMessage(m));

/// <reference lib="webworker" />
/**
 * Reads and validates an imported run log off the page's main thread: a 10,000-call log is tens of
 * thousands of lines, each parsed and checked against the event schema, which would otherwise freeze the
 * page for a second or more. Started only when a log is imported.
 */
import { parseTrace } from '../../../workers/lang/index.ts';

self.onmessage = async (e: MessageEvent<File>) => {
  try {
    self.postMessage(parseTrace(await e.data.text()));
  } catch (error) {
    self.postMessage({ ok: false, error: `could not read the file: ${String(error)}` });
  }
};

import { createWriteStream, type WriteStream } from 'node:fs';
import { UsageError } from './io.ts';

/**
 * A JSON Lines file written as things happen (a run log: runPlan has already replaced the key in every
 * event). `append` keeps what the file holds (a batch's results); otherwise it starts empty.
 */
export function openJsonl(path: string, flag: string, append = false) {
  let stream: WriteStream;
  try {
    stream = createWriteStream(path, { encoding: 'utf8', flags: append ? 'a' : 'w' });
  } catch (error) {
    throw new UsageError(`cannot write ${flag} ${path}: ${String(error)}`);
  }
  const failed: { error?: Error } = {};
  stream.on('error', (error) => {
    failed.error = error;
  });
  return {
    write(value: unknown) {
      stream.write(`${JSON.stringify(value)}\n`);
    },
    close(): Promise<void> {
      return new Promise((resolve, reject) => {
        stream.end(() => (failed.error ? reject(failed.error) : resolve()));
      });
    },
  };
}

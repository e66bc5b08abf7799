/** Where a command reads and writes: the process by default, strings in tests. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const processIo: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** A wrong command line (exit 2), as opposed to a bad plan (exit 1). */
export class UsageError extends Error {}

/**
 * Runs a command with the process's streams and environment and a signal that Ctrl+C (and, for long jobs,
 * SIGTERM) aborts: the command stops cleanly and says what it did, rather than dying mid-write.
 */
export async function withInterrupt(
  command: (io: CommandIo & { env: NodeJS.ProcessEnv; signal: AbortSignal }) => Promise<number>,
  signals: readonly NodeJS.Signals[] = ['SIGINT'],
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  for (const s of signals) process.once(s, stop);
  try {
    process.exitCode = await command({
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      signal: controller.signal,
    });
  } finally {
    for (const s of signals) process.off(s, stop);
  }
}

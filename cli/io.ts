/** Where a command reads and writes: the process by default, strings in tests. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const processIo: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** A wrong command line (exit 2), as opposed to a bad plan (exit 1). */
export class UsageError extends Error {}

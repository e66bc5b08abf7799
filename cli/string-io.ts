/** For tests: a command's stdout and stderr captured as strings, and an environment of its own. */
export function stringIo(env: Record<string, string | undefined> = {}) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
      env,
    },
  };
}

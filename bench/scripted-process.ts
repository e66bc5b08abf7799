/**
 * The scripted OpenAI-compatible server (test/scripted-server/, a test double) in a process of its own,
 * as a remote model would be: its work then runs on the other core, not in the event loop of the runtime
 * being measured.
 */
import { spawn } from 'node:child_process';
import { CONFIGURE_PATH, type ScriptedServerOptions } from '../test/scripted-server/server.ts';

export interface ScriptedProcess {
  /** Base URL with `/v1`. */
  url: string;
  /** Hands the server ground truth (and other settings) through its test-only configure endpoint. */
  configure(
    settings: Pick<ScriptedServerOptions, 'truth' | 'sentinel' | 'contextWindow' | 'latencyMs'>,
  ): Promise<void>;
  close(): Promise<void>;
}

export async function startScriptedProcess(options: {
  latencyMs: number;
  /** More of test/scripted-server/main.ts's flags: `--slots 4`, `--rate-requests 20`, `--stop-after 50`… */
  args?: readonly string[];
}): Promise<ScriptedProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/scripted-server/main.ts',
      '--port',
      '0',
      '--latency',
      String(options.latencyMs),
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the scripted server did not start:\n${output}`)),
      30_000,
    );
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString();
      const m = /listening on (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr.on('data', (b: Buffer) => {
      output += b.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the scripted server exited (${code}):\n${output}`));
    });
  });
  return {
    url,
    async configure(settings) {
      const res = await fetch(`${url.replace(/\/v1$/, '')}${CONFIGURE_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(settings),
      });
      if (!res.ok) throw new Error(`the scripted server refused its settings (${res.status})`);
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

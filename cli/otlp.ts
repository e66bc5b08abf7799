/**
 * `fixpoint otlp LOG.jsonl (--otlp-endpoint URL | --otlp-file FILE) [--otlp-header K=V]… [--otlp-protocol P]
 *  [--otlp-content]`
 *
 * A run log written earlier (`fixpoint run --trace`, or exported from the page) as OpenTelemetry spans:
 * the same spans `fixpoint run --otlp-*` makes for a run as it ends, since both are a function of the log.
 * A log written before runs recorded their start time is dated by its file: it was last written when the
 * run ended.
 *
 * Exit status: 0 the spans were written and sent; 1 they were not; 2 the command or the log is wrong.
 */
import { readFileSync, statSync } from 'node:fs';
import type { CAC } from 'cac';
import { parseTrace } from '../workers/lang/index.ts';
import { type CommandIo, processIo, UsageError } from './io.ts';
import { addOtlpOptions, exportOtlp, type OtlpCliOptions, otlpRequest } from './otlp-export.ts';
import { packageVersion } from './version.ts';

export function registerOtlp(cli: CAC): void {
  addOtlpOptions(cli.command('otlp <log>', 'Send or write a run log as OpenTelemetry spans (OTLP)'))
    .example('fixpoint otlp run.jsonl --otlp-endpoint http://localhost:4318')
    .example('fixpoint otlp run.jsonl --otlp-file spans.json --otlp-content')
    .action(async (log: string, options: OtlpCliOptions) => {
      process.exitCode = await otlpCommand(log, options, { ...processIo, env: process.env });
    });
}

export async function otlpCommand(
  path: string,
  options: OtlpCliOptions,
  io: CommandIo & { env: Record<string, string | undefined> },
): Promise<number> {
  try {
    const request = otlpRequest(options, io.env, undefined);
    if (!request) throw new UsageError('give --otlp-endpoint URL, --otlp-file FILE, or both');
    let text: string;
    let modified: number;
    try {
      text = readFileSync(path, 'utf8');
      modified = statSync(path).mtimeMs;
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const log = parseTrace(text);
    if (!log.ok) throw new UsageError(`${path} is not a run log: ${log.error}`);
    const lastT = log.events.reduce((t, e) => Math.max(t, e.t), 0);
    const ok = await exportOtlp(log.events, request, {
      stderr: io.stderr,
      fallbackStartMs: modified - lastT,
      serviceVersion: packageVersion(),
    });
    return ok ? 0 : 1;
  } catch (error) {
    io.stderr.write(`fixpoint otlp: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

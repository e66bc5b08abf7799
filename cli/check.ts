/**
 * `fixpoint check PLAN...`: loads and type-checks each plan. Prints "ok" per good plan and every problem,
 * with node and port, per bad one. Exit 0 when all are good (warnings allowed), 1 otherwise.
 */
import type { CAC } from 'cac';
import { check, hasErrors } from '../workers/lang/index.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { type CommandIo, processIo } from './io.ts';
import { readPlanFile } from './read-plan.ts';

export function registerCheck(cli: CAC): void {
  cli
    .command('check [...plans]', 'Type-check plan files (exit 1 on any error)')
    .option('--json', 'Print the diagnostics as JSON')
    .example('fixpoint check public/examples/*.json')
    .action((plans: string[], options: { json?: boolean }) => {
      process.exitCode = checkCommand(plans, options, processIo);
    });
}

export function checkCommand(paths: readonly string[], options: { json?: boolean }, io: CommandIo): number {
  if (paths.length === 0) {
    io.stderr.write('fixpoint check: name at least one plan file\n');
    return 2;
  }
  let failed = false;
  const report: Record<string, unknown> = {};
  for (const path of paths) {
    const read = readPlanFile(path);
    const diagnostics = read.ok
      ? check(read.json).diagnostics
      : [{ code: 'schema' as const, severity: 'error' as const, message: read.error }];
    const bad = hasErrors(diagnostics);
    failed ||= bad;
    if (options.json) report[path] = { ok: !bad, diagnostics };
    else if (diagnostics.length === 0) io.stdout.write(`${path}: ok\n`);
    else
      (bad ? io.stderr : io.stdout).write(
        `${path}: ${bad ? `${diagnostics.filter((d) => d.severity === 'error').length} error(s)` : 'ok, with warnings'}\n${diagnostics.map(formatDiagnostic).join('\n')}\n`,
      );
  }
  if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return failed ? 1 : 0;
}

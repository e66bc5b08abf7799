/**
 * The `fixpoint` command line: `check` and `plan` (the language), `run` (the providers; cli/run.ts; `--auto` in
 * cli/auto.ts), `batch` (a plan over many documents; cli/batch.ts), `compare` (a plan run beside an RLM run;
 * cli/compare.ts), `otlp` (a run log as OpenTelemetry spans; cli/otlp.ts). Each subcommand lives in its own file and
 * registers itself here.
 */
import { cac } from 'cac';
import { registerBatch } from './batch.ts';
import { registerCheck } from './check.ts';
import { registerCompare } from './compare.ts';
import { registerOtlp } from './otlp.ts';
import { registerPlan } from './plan.ts';
import { registerRun } from './run.ts';
import { packageVersion } from './version.ts';

const cli = cac('fixpoint');
registerCheck(cli);
registerPlan(cli);
registerRun(cli);
registerBatch(cli);
registerOtlp(cli);
registerCompare(cli);
cli.help();
cli.version(packageVersion());

try {
  cli.parse(process.argv, { run: false });
  if (cli.matchedCommand) await cli.runMatchedCommand();
  else if (cli.args.length > 0) {
    process.stderr.write(`fixpoint: unknown command "${cli.args.join(' ')}"; see fixpoint --help\n`);
    process.exitCode = 2;
  } else if (!cli.options.help && !cli.options.version) cli.outputHelp();
} catch (e) {
  // cac's own errors (an unknown option, a missing argument) are usage errors.
  process.stderr.write(`fixpoint: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}

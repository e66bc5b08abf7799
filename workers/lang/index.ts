/**
 * The language's front door (docs/architecture.md): everything the UI, the CLI, the runtime and the
 * model providers may use. Inside, the language is grouped by concern:
 *
 * - `format/`: the plan document, its schema, limits and migrations, plan files, share links, run-log files;
 * - `nodes/`:  the node catalog (one file per kind) and what the kinds share (templates, splitting, ⊕, parsing);
 * - `check/`:  types, unification, the type checker, wiring rules;
 * - `plan/`:   the planner and tokenizers;
 * - `run/`:    the evaluator, the leaf scheduler and cache, the run log's events, the model interface;
 * - `samples/`: seeded sample documents for the examples;
 * - `auto/`:   starting from a question: task detection and the task families' templates.
 *
 * Code outside `workers/lang` imports from here only (an architecture test holds it to that); tests and
 * benchmarks may reach inside.
 */
export * from './auto/index.ts';
export * from './check/connect.ts';
export * from './check/diagnostics.ts';
export * from './check/graph.ts';
export * from './check/typecheck.ts';
export * from './check/types.ts';
export * from './format/deflate.ts';
export * from './format/hash.ts';
export * from './format/input-text.ts';
export * from './format/load.ts';
export * from './format/plan.ts';
export * from './format/plan-file.ts';
export * from './format/price-table.ts';
export * from './format/secrets.ts';
export * from './format/share.ts';
export * from './format/trace-file.ts';
export * from './format/untrusted-json.ts';
export * from './nodes/absent.ts';
export * from './nodes/catalog.ts';
export * from './nodes/lambda-term.ts';
export * from './nodes/node-spec.ts';
export * from './nodes/template.ts';
export * from './plan/estimate.ts';
export * from './plan/planner.ts';
export * from './plan/split-before.ts';
export * from './plan/tokenizer.ts';
export * from './run/budget-ledger.ts';
export * from './run/cost.ts';
export * from './run/deadlines.ts';
export * from './run/downstream.ts';
export * from './run/errors.ts';
export * from './run/evaluator.ts';
export * from './run/events.ts';
export * from './run/leaf-cache.ts';
export * from './run/limiter.ts';
export * from './run/logged-leaf.ts';
export * from './run/program.ts';
export * from './run/provider.ts';
export * from './run/scheduler.ts';
export * from './run/scheduler-pool.ts';
export * from './run/think.ts';
export * from './run/trace-writer.ts';
export { noAnswerFound, summarizeValue } from './run/value-summary.ts';
export * from './samples/index.ts';

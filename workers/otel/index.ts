/**
 * OpenTelemetry export of a run (docs/running.md): the run log as spans following the GenAI semantic
 * conventions, and as an OTLP/JSON file. Pure functions of the log, for Node (the CLI) and the page,
 * which loads this door lazily (an architecture test holds it to that): the OpenTelemetry packages
 * stay out of the first screen.
 */
export * from './attributes.ts';
export * from './model-identity.ts';
export * from './otlp-json.ts';
export * from './run-tree.ts';
export * from './spans.ts';

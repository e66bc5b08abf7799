/** Starting from a question: task detection and the families' templates (docs/rlm.md). */

export * from './compare-runs.ts';
export * from './detect.ts';
export * from './detect-request.ts';
export * from './detection-log.ts';
export * from './families.ts';
export * from './instantiate.ts';
export * from './read-detection.ts';

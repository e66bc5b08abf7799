/**
 * The attribute names the export writes. The `gen_ai.*` names are the OpenTelemetry GenAI semantic
 * conventions (semantic-conventions 1.45.0). They are still "development" there, and that package asks
 * users not to import its incubating entry point at run time but to keep their own copy of the names they
 * use, which is this file. Fixpoint's own facts (the plan node, the piece of the input, the cache) are under
 * `fixpoint.*`.
 */

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  /** Deprecated in favour of `gen_ai.provider.name`; still the key some tracing tools read. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  outputType: 'gen_ai.output.type',
  workflowName: 'gen_ai.workflow.name',
} as const;

export const GEN_AI_OPERATION = { chat: 'chat', invokeWorkflow: 'invoke_workflow' } as const;

/** Span events Fixpoint adds to a call's span. */
export const FIXPOINT_EVENT = {
  /** A Filter kept none of its items (`filter.empty` in the run log). */
  filterEmpty: 'fixpoint.filter.empty',
} as const;

export const FIXPOINT = {
  runId: 'fixpoint.run.id',
  runComplete: 'fixpoint.run.complete',
  runModel: 'fixpoint.run.model',
  runInputChars: 'fixpoint.run.input_chars',
  runQuery: 'fixpoint.run.query',
  runResult: 'fixpoint.run.result',
  /** The run found no answer: its result is absent. */
  runAbsent: 'fixpoint.run.absent',
  runCalls: 'fixpoint.run.calls',
  runLeafCalls: 'fixpoint.run.leaf_calls',
  runCachedCalls: 'fixpoint.run.cached_calls',
  runInputTokens: 'fixpoint.run.input_tokens',
  runOutputTokens: 'fixpoint.run.output_tokens',
  refreshNodes: 'fixpoint.run.refresh_nodes',
  planKStar: 'fixpoint.plan.k_star',
  planTauStar: 'fixpoint.plan.tau_star',
  planDepth: 'fixpoint.plan.depth',
  planPredictedCalls: 'fixpoint.plan.predicted_calls',
  planAccuracyBound: 'fixpoint.plan.accuracy_bound',
  callId: 'fixpoint.call.id',
  callLabel: 'fixpoint.call.label',
  callDepth: 'fixpoint.call.depth',
  callSpanFrom: 'fixpoint.call.span.from',
  callSpanTo: 'fixpoint.call.span.to',
  callSummary: 'fixpoint.call.summary',
  callUnfinished: 'fixpoint.call.unfinished',
  /** The call's value is absent ("no answer here"). */
  callAbsent: 'fixpoint.call.absent',
  /** On the `fixpoint.filter.empty` event: how many items the Filter was given and kept none of, and its policy. */
  filterOf: 'fixpoint.filter.of',
  filterKept: 'fixpoint.filter.kept',
  filterPolicy: 'fixpoint.filter.policy',
  filterOutcome: 'fixpoint.filter.outcome',
  nodeId: 'fixpoint.node.id',
  nodeKind: 'fixpoint.node.kind',
  leafCached: 'fixpoint.leaf.cached',
  leafRetries: 'fixpoint.leaf.retries',
  leafModelMs: 'fixpoint.leaf.model_ms',
  /** What a model request cost, and (on the workflow span) the run; only when the run had a price. */
  leafCost: 'fixpoint.leaf.cost',
  runCost: 'fixpoint.run.cost',
  /** The currency of both (ISO 4217). */
  costCurrency: 'fixpoint.cost.currency',
} as const;

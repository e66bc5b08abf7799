/**
 * RLM mode's front door (docs/rlm.md): `runRlm` runs a model that writes JavaScript over the document in
 * a QuickJS sandbox. The sandbox itself loads only when a run starts.
 */
export * from './run-rlm.ts';
export type {
  CellHost,
  CellResult,
  LlmQueryAnswer,
  Sandbox,
  SandboxError,
  SandboxErrorKind,
  SandboxFactory,
  SandboxLimits,
} from './sandbox.ts';
export { DEFAULT_SANDBOX_LIMITS, sandboxLimits } from './sandbox.ts';

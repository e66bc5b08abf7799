/**
 * What the type checker reports. Every problem names the node (and the port where there is one), and
 * says what was expected and what arrived, so the editor can draw it on the right handle.
 */
export type DiagnosticCode =
  | 'schema'
  | 'unknown-kind'
  | 'invalid-param'
  | 'missing-input'
  | 'type-mismatch'
  | 'unknown-port'
  | 'dangling-wire'
  | 'duplicate-wire'
  | 'cycle'
  | 'termination'
  | 'container'
  | 'empty-reduce'
  | 'template-variable'
  | 'overlap'
  | 'sentinel'
  | 'leaf-window'
  | 'output';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  message: string;
  nodeId?: string;
  port?: string;
  /** The parameter at fault (invalid-param, template-variable). */
  param?: string;
  /** Written types (`List<Str>`) for type mismatches. */
  expected?: string;
  actual?: string;
  /** Nodes on an offending path (cycles, termination), to highlight. */
  path?: string[];
  /**
   * A fix the editor can apply in one click: `split-before` puts a Split (and a Map and a Reduce around
   * the node) before a node whose input is too large for the window.
   */
  fix?: { kind: 'split-before'; label: string };
}

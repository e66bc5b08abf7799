import type { Diagnostic } from '../workers/lang/index.ts';

/** One diagnostic per line: `error type-mismatch at red.items: … (expected List<Counts>, got List<Str>)`. */
export function formatDiagnostic(d: Diagnostic): string {
  const at =
    d.nodeId !== undefined
      ? ` at ${d.nodeId}${d.port !== undefined ? `.${d.port}` : d.param !== undefined ? ` (parameter ${d.param})` : ''}`
      : '';
  const types =
    d.expected !== undefined
      ? ` (expected ${d.expected}${d.actual !== undefined ? `, got ${d.actual}` : ''})`
      : '';
  const path = d.path && d.path.length > 1 ? `\n      path: ${d.path.join(' → ')}` : '';
  return `  ${d.severity} ${d.code}${at}: ${d.message}${types}${path}`;
}

/** Why a plan cannot run: its errors, one per line, under its name. */
export function cannotRun(planPath: string, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  return `${planPath} cannot run:\n${errors.join('\n')}\n`;
}

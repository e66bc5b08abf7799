/**
 * Parameters of a node, read against its kind's spec: defaults filled in, and every problem found. Kept
 * apart from the catalog so that code the catalog's kinds use (a Split asking what is downstream of it)
 * can read params without importing the catalog itself.
 */
import type { Diagnostic } from '../check/diagnostics.ts';
import type { Catalog } from './catalog.ts';
import type { NodeSpec, ParamSpec, Params } from './node-spec.ts';

/** A kind's spec in a catalog, or undefined for a kind it does not know. */
export function specIn(c: Catalog, kind: string): NodeSpec | undefined {
  return Object.hasOwn(c, kind) ? c[kind] : undefined;
}

/** The default value of every parameter of a kind (a fresh copy). */
export function defaultsOf(spec: NodeSpec): Params {
  const out: Params = {};
  for (const p of spec.params)
    out[p.name] =
      typeof p.default === 'object' && p.default !== null ? structuredClone(p.default) : p.default;
  return out;
}

/** Params with defaults filled in for the missing ones. Unknown params are kept (the checker warns). */
export function paramsOf(spec: NodeSpec, params: Params | undefined): Params {
  return { ...defaultsOf(spec), ...(params ?? {}) };
}

function paramProblem(spec: ParamSpec, value: unknown): string | null {
  if (value === null && spec.nullable) return null;
  switch (spec.kind) {
    case 'string':
    case 'text':
    case 'template':
      return typeof value === 'string' ? null : 'must be text';
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'must be a whole number';
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      break;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && (spec.options ?? []).includes(value)
        ? null
        : `must be one of ${(spec.options ?? []).join(', ')}`;
    case 'json':
      return null;
  }
  const n = value as number;
  if (spec.min !== undefined && n < spec.min) return `must be at least ${spec.min}`;
  if (spec.max !== undefined && n > spec.max) return `must be at most ${spec.max}`;
  return null;
}

/**
 * Every problem with a node's parameters, as diagnostics with code `invalid-param` (`template-variable`
 * for a template's own problems). Never throws on any input (params come from untrusted plans). `nodeId`
 * names the node in the diagnostics.
 */
export function problemsOf(spec: NodeSpec, params: unknown, nodeId?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (message: string, param?: string, severity: 'error' | 'warning' = 'error'): Diagnostic => ({
    code:
      param !== undefined && spec.params.find((p) => p.name === param)?.kind === 'template'
        ? 'template-variable'
        : 'invalid-param',
    severity,
    message,
    ...(nodeId !== undefined ? { nodeId } : {}),
    ...(param !== undefined ? { param } : {}),
  });
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    return [at(`${spec.kind}: params must be an object`)];
  }
  const given = (params ?? {}) as Params;
  const resolved = paramsOf(spec, given);
  for (const p of spec.params) {
    const problem = paramProblem(p, resolved[p.name]);
    if (problem) out.push(at(`${spec.kind} parameter "${p.name}" ${problem}`, p.name));
  }
  for (const name of Object.keys(given)) {
    if (!spec.params.some((p) => p.name === name))
      out.push(at(`${spec.kind} has no parameter "${name}" (it is ignored)`, name, 'warning'));
  }
  if (out.some((d) => d.severity === 'error') || !spec.validate) return out;
  try {
    for (const p of spec.validate(resolved))
      out.push(at(`${spec.kind} parameter "${p.param}": ${p.message}`, p.param));
  } catch (e) {
    out.push(
      at(`${spec.kind}: parameters could not be validated (${e instanceof Error ? e.message : String(e)})`),
    );
  }
  return out;
}

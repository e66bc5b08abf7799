/**
 * Loading a plan document from outside (a file, a share link, an example): shape limits, migrations,
 * the zod schema, container nesting. Meaning (types, wires, termination) is the type checker's job; a
 * plan that loads may still not check. Never throws.
 */
import type { Diagnostic } from '../check/diagnostics.ts';
import { catalog as builtinCatalog, type Catalog } from '../nodes/catalog.ts';
import { migrate } from './migrate.ts';
import { PLAN_FORMAT, PLAN_LIMITS, type Plan, planSchema } from './plan.ts';

export type LoadResult =
  | { ok: true; plan: Plan; migratedFrom?: number }
  | { ok: false; diagnostics: Diagnostic[] };

const schemaError = (message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'schema',
  severity: 'error',
  message,
  ...extra,
});

/** Deepest nesting of arrays/objects in a value, or -1 once past `limit`. Iterative: no stack to overflow. */
export function valueDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return -1;
    for (const child of Object.values(v)) stack.push([child, depth]);
  }
  return deepest;
}

/** `nodes[3].params.k` from a zod path. */
export function showPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(document)' : out;
}

/** Node id at `nodes[i]`, so a schema error can be drawn on the node it concerns. */
function nodeIdAt(doc: Record<string, unknown>, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'nodes' || typeof path[1] !== 'number') return undefined;
  const nodes = doc.nodes;
  if (!Array.isArray(nodes)) return undefined;
  const node: unknown = nodes[path[1]];
  if (node && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string')
    return (node as { id: string }).id;
  return undefined;
}

/** How deep each container is nested; a parent cycle or a nesting past the limit is reported. */
function nestingProblems(plan: Plan): Diagnostic[] {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const out: Diagnostic[] = [];
  for (const node of plan.nodes) {
    const chain: string[] = [node.id];
    let current = node;
    while (current.parent !== undefined) {
      const parent = byId.get(current.parent);
      if (!parent) break; // an unknown parent is the checker's "container" error
      if (chain.includes(parent.id)) {
        out.push(
          schemaError(
            `node "${node.id}" is inside itself through its parents (${[...chain, parent.id].join(' → ')})`,
            {
              code: 'container',
              nodeId: node.id,
              path: chain,
            },
          ),
        );
        break;
      }
      chain.push(parent.id);
      if (chain.length - 1 > PLAN_LIMITS.maxNesting) {
        out.push(
          schemaError(`node "${node.id}" is nested more than ${PLAN_LIMITS.maxNesting} containers deep`, {
            nodeId: node.id,
          }),
        );
        break;
      }
      current = parent;
    }
    if (out.length >= 20) break;
  }
  return out;
}

export interface LoadOptions {
  /** The kinds a plan may use: the built-in catalog unless a test brings its own. */
  catalog?: Catalog;
}

export function loadPlan(json: unknown, options: LoadOptions = {}): LoadResult {
  try {
    return load(json, options.catalog ?? builtinCatalog);
  } catch (e) {
    // The schema and migrations are not expected to throw; if one ever does, the plan is refused, not the page.
    return {
      ok: false,
      diagnostics: [schemaError(`the plan could not be read: ${e instanceof Error ? e.message : String(e)}`)],
    };
  }
}

/** Nodes of kinds the catalog does not know, reported where the schema would report them. */
function unknownKinds(plan: Plan, kinds: Catalog): Diagnostic[] {
  const known = Object.keys(kinds);
  const out: Diagnostic[] = [];
  plan.nodes.forEach((node, i) => {
    if (out.length < 50 && !Object.hasOwn(kinds, node.kind))
      out.push(
        schemaError(
          `nodes[${i}].kind: unknown node kind "${node.kind}"; known kinds are ${known.join(', ')}`,
          {
            nodeId: node.id,
          },
        ),
      );
  });
  return out;
}

function load(json: unknown, kinds: Catalog): LoadResult {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, diagnostics: [schemaError('a plan is a JSON object')] };
  }
  if (valueDepth(json, PLAN_LIMITS.maxDocumentDepth) < 0) {
    return {
      ok: false,
      diagnostics: [schemaError(`the plan is nested more than ${PLAN_LIMITS.maxDocumentDepth} levels deep`)],
    };
  }
  const doc = json as Record<string, unknown>;
  if (doc.format !== PLAN_FORMAT) {
    return {
      ok: false,
      diagnostics: [
        schemaError(`format: expected "${PLAN_FORMAT}", found ${JSON.stringify(doc.format) ?? 'nothing'}`, {
          expected: PLAN_FORMAT,
        }),
      ],
    };
  }
  const migrated = migrate(doc);
  if (!migrated.ok) return { ok: false, diagnostics: [schemaError(`version: ${migrated.message}`)] };
  const parsed = planSchema.safeParse(migrated.doc);
  if (!parsed.success) {
    const diagnostics = parsed.error.issues.slice(0, 50).map((issue) => {
      const nodeId = nodeIdAt(migrated.doc, issue.path);
      return schemaError(`${showPath(issue.path)}: ${issue.message}`, nodeId !== undefined ? { nodeId } : {});
    });
    return { ok: false, diagnostics };
  }
  const plan = parsed.data;
  const unknown = unknownKinds(plan, kinds);
  if (unknown.length > 0) return { ok: false, diagnostics: unknown };
  const nesting = nestingProblems(plan);
  if (nesting.length > 0) return { ok: false, diagnostics: nesting };
  return migrated.from < plan.version ? { ok: true, plan, migratedFrom: migrated.from } : { ok: true, plan };
}

/**
 * Plan format 1 → 2. Version 2 changed defaults that change what a plan means; a version-1 document gets
 * its old behaviour written out as explicit parameters, so it runs as it did. What it cannot keep is any
 * behaviour that broke the leaf bound (pieces over the window, a base case over τ*): that is now a rule
 * of the language for every plan.
 *
 * | kind   | version 1 behaviour (now written out)                       | version 2 default              |
 * |--------|-------------------------------------------------------------|--------------------------------|
 * | Split  | no overlap (`overlap: 0`), cuts between words (`cut: words`) | automatic from the plan's ⊕    |
 *
 * Works on the raw document (before the schema): anything that is not a node object is left alone for the
 * schema to report. Never throws.
 */
import type { PlanDocument } from './migrate.ts';

type Params = Record<string, unknown>;

/** Version-1 params written out where version 2 would choose differently, by kind. */
const OLD_DEFAULTS: Record<string, Params> = {
  Split: { overlap: 0, cut: 'words' },
};

export function v1ToV2(doc: PlanDocument): PlanDocument {
  const nodes = doc.nodes;
  if (!Array.isArray(nodes)) return doc;
  return {
    ...doc,
    nodes: nodes.map((node: unknown) => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
      const n = node as { kind?: unknown; params?: unknown };
      const old =
        typeof n.kind === 'string' && Object.hasOwn(OLD_DEFAULTS, n.kind) ? OLD_DEFAULTS[n.kind] : undefined;
      if (!old) return node;
      const params =
        n.params !== null && typeof n.params === 'object' && !Array.isArray(n.params)
          ? (n.params as Params)
          : n.params === undefined
            ? {}
            : undefined;
      // Params of the wrong shape are the schema's to report.
      if (params === undefined) return node;
      const written: Params = { ...params };
      for (const [name, value] of Object.entries(old))
        if (!Object.hasOwn(written, name)) written[name] = value;
      return { ...node, params: written };
    }),
  };
}

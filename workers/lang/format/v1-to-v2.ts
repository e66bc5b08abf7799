/**
 * Plan format 1 → 2. Version 2 changed defaults that change what a plan means; a version-1 document gets
 * its old behaviour written out as explicit parameters, so it runs as it did. What it cannot keep is any
 * behaviour that broke the leaf bound (pieces over the window, a base case over τ*): that is now a rule
 * of the language for every plan.
 *
 * | kind   | version 1 behaviour (now written out)                          | version 2 default                |
 * |--------|----------------------------------------------------------------|----------------------------------|
 * | Split  | no overlap (`overlap: 0`), cuts between words (`cut: words`)    | automatic from the plan's ⊕      |
 * | LLM    | every reply is text (`notFound: ""`)                            | `NOT_FOUND` is absent            |
 * | Reduce | `best` skips replies that read as "not found" (`notFoundText`)  | `best` skips absent items only   |
 * | Filter | keeping nothing gives the empty list (`ifNoneKept: keep-none`)  | `keep-all`: what follows reads all |
 * | Parse  | a tolerant reading, no repair call (`strict: false, repair: false`) | strict, one repair call     |
 *
 * Not kept as an option: Match's query words (`queryWords`) are cut with Intl.Segmenter and lose their stop
 * words in every version; format 1's rule (words of four or more letters) kept "which" and "what" and
 * matched every piece with them, and had no words at all for a question in Chinese or Japanese.
 *
 * Works on the raw document (before the schema): anything that is not a node object is left alone for the
 * schema to report. Never throws.
 */
import type { PlanDocument } from './migrate.ts';

type Params = Record<string, unknown>;

/** Version-1 params written out where version 2 would choose differently, by kind (given its params). */
const OLD_DEFAULTS: Record<string, (params: Params) => Params> = {
  Split: () => ({ overlap: 0, cut: 'words' }),
  LLM: () => ({ notFound: '' }),
  Reduce: (params) => (params.op === 'best' ? { notFoundText: true } : {}),
  Filter: () => ({ ifNoneKept: 'keep-none' }),
  Parse: () => ({ strict: false, repair: false }),
};

export function v1ToV2(doc: PlanDocument): PlanDocument {
  const nodes = doc.nodes;
  if (!Array.isArray(nodes)) return doc;
  return {
    ...doc,
    nodes: nodes.map((node: unknown) => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
      const n = node as { kind?: unknown; params?: unknown };
      const oldOf =
        typeof n.kind === 'string' && Object.hasOwn(OLD_DEFAULTS, n.kind) ? OLD_DEFAULTS[n.kind] : undefined;
      if (!oldOf) return node;
      const params =
        n.params !== null && typeof n.params === 'object' && !Array.isArray(n.params)
          ? (n.params as Params)
          : n.params === undefined
            ? {}
            : undefined;
      // Params of the wrong shape are the schema's to report.
      if (params === undefined) return node;
      const written: Params = { ...params };
      for (const [name, value] of Object.entries(oldOf(params)))
        if (!Object.hasOwn(written, name)) written[name] = value;
      return { ...node, params: written };
    }),
  };
}

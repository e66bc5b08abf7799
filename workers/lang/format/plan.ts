/**
 * The plan document (docs/language.md, docs/sharing.md): the single source of truth for a pipeline. Everything that checks,
 * plans, runs or shares a pipeline sees only this. View data (positions, sizes, viewport) is kept apart
 * from semantics under `view`.
 *
 * Containers (Map, Filter, Reduce with a body, Fix) own child nodes through `parent`. A child's `slot`
 * says which body it belongs to: `body` for Map/Filter/Reduce, `base` or `step` for Fix. Each body has
 * one Entry node (its argument: the item, the pair of accumulators, or P) and one Exit node (its result);
 * a Fix step may contain Self nodes (the recursive call).
 *
 * This schema checks shape and limits only. Per-kind parameters are validated by the node catalog, and
 * meaning (types, wiring, termination) by the type checker.
 */
import { z } from 'zod';

export const PLAN_FORMAT = 'fixpoint/plan';
export const PLAN_VERSION = 2;

/**
 * A node's kind names a spec in the node catalog (nodes/catalog.ts). The schema checks only its shape;
 * the plan loader accepts the kinds its catalog knows (the built-in one for files and links).
 */
export type NodeKind = string;

/** Limits that keep a hostile link or file from exhausting the page (docs/sharing.md). */
export const PLAN_LIMITS = {
  maxNodes: 2000,
  maxWires: 6000,
  maxIdLength: 64,
  maxNameLength: 200,
  maxTextLength: 100_000,
  maxInputLength: 1_000_000,
  maxParamDepth: 8,
  /** Containers inside containers (a Fix in a Map body in a Fix step is 3). */
  maxNesting: 16,
  /** Any JSON nesting in a whole plan document (checked before the schema sees it). */
  maxDocumentDepth: 32,
  /**
   * Numbers (docs/sharing.md, "Limits"): every number a plan carries has bounds here or in its node
   * kind's parameter spec, so that no link or file can ask for a 10¹²-token sample or a timer that
   * fires at once (setTimeout past 2³¹ − 1 ms).
   */
  maxParamMagnitude: Number.MAX_SAFE_INTEGER,
  maxSampleTokens: 2_000_000,
  maxSeed: 2 ** 32 - 1,
  maxTimerMs: 2 ** 31 - 1,
  maxBudgetCalls: 1_000_000_000,
  maxBudgetTokens: 1_000_000_000_000,
  maxCoordinate: 10_000_000,
  maxNodeSize: 100_000,
  minZoom: 0.01,
  maxZoom: 16,
} as const;

const id = z
  .string()
  .min(1)
  .max(PLAN_LIMITS.maxIdLength)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids may use letters, digits and _ . : - only');

/** Parameter values: JSON only, bounded depth and string length. Never code. */
const paramValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string().max(PLAN_LIMITS.maxTextLength),
    z.number().min(-PLAN_LIMITS.maxParamMagnitude).max(PLAN_LIMITS.maxParamMagnitude),
    z.boolean(),
    z.null(),
    z.array(paramValue).max(10_000),
    z.record(z.string().max(200), paramValue),
  ]),
);

/** The bodies a container may own: one `body`, or a Fix's `base` and `step`. */
export const SLOTS = ['body', 'base', 'step'] as const;
export type Slot = (typeof SLOTS)[number];

export const nodeSchema = z.object({
  id,
  kind: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a node kind is a name of letters, digits and _'),
  label: z.string().max(PLAN_LIMITS.maxNameLength).optional(),
  parent: id.optional(),
  slot: z.enum(SLOTS).optional(),
  params: z.record(z.string().max(200), paramValue).default({}),
});
export type PlanNode = z.infer<typeof nodeSchema>;

export const portRefSchema = z.object({ node: id, port: z.string().min(1).max(64) });
export type PortRef = z.infer<typeof portRefSchema>;

export const wireSchema = z.object({ id, from: portRefSchema, to: portRefSchema });
export type Wire = z.infer<typeof wireSchema>;

export const plannerSettingsSchema = z.object({
  /** auto: flat for a symbolic ⊕, sqrt otherwise (docs/language.md, "The planner"). */
  kRule: z.enum(['auto', 'flat', 'sqrt', 'binary']).default('auto'),
  /** Target accuracy α. */
  alpha: z.number().min(0).max(1).default(0.8),
  /** A₀: leaf accuracy on a short input. */
  leafAccuracy: z.number().min(0).max(1).default(0.95),
  /** ρ in A(n) = A₀·ρ^{n/K}. */
  rho: z.number().min(0).max(1).default(0.9),
  /** A_⊕ for a neural combine. */
  combineAccuracy: z.number().min(0).max(1).default(0.9),
  /** Tokens reserved for the leaf's answer, subtracted from the window. */
  outputReserve: z.number().int().min(1).max(1_000_000).default(512),
  /** Override of the model's context window, in tokens. */
  contextWindow: z.number().int().min(64).max(10_000_000).optional(),
  budgets: z
    .object({
      maxCalls: z.number().int().min(1).max(PLAN_LIMITS.maxBudgetCalls).optional(),
      maxTokens: z.number().int().min(1).max(PLAN_LIMITS.maxBudgetTokens).optional(),
      maxWallMs: z.number().int().min(1).max(PLAN_LIMITS.maxTimerMs).optional(),
    })
    .default({}),
});
export type PlannerSettings = z.infer<typeof plannerSettingsSchema>;

const coordinate = z.number().min(-PLAN_LIMITS.maxCoordinate).max(PLAN_LIMITS.maxCoordinate);
const xy = z.object({ x: coordinate, y: coordinate });
const extent = z.number().min(0).max(PLAN_LIMITS.maxNodeSize);

export const viewSchema = z.object({
  positions: z.record(id, xy).default({}),
  sizes: z.record(id, z.object({ width: extent, height: extent })).default({}),
  viewport: z
    .object({
      x: coordinate,
      y: coordinate,
      zoom: z.number().min(PLAN_LIMITS.minZoom).max(PLAN_LIMITS.maxZoom),
    })
    .optional(),
});

/**
 * A sample generator's recipe. Its size and seed are bounded here: generating is real work, and a link
 * asking for 10¹² tokens would otherwise freeze the page that opens it.
 */
export const generatorSchema = z.object({
  name: z.string().max(64),
  params: z
    .object({
      tokens: z.number().int().min(1).max(PLAN_LIMITS.maxSampleTokens).optional(),
      seed: z.number().int().min(0).max(PLAN_LIMITS.maxSeed).optional(),
    })
    .catchall(paramValue)
    .default({}),
});
export type PlanView = z.infer<typeof viewSchema>;

export const planSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  version: z.literal(PLAN_VERSION),
  name: z.string().min(1).max(PLAN_LIMITS.maxNameLength),
  description: z.string().max(PLAN_LIMITS.maxTextLength).default(''),
  /** The question the example ships with; the user's query at run time overrides it. */
  query: z.string().max(PLAN_LIMITS.maxTextLength).default(''),
  /** A sample input travels with the plan only when small (share links: only when the user asks). */
  input: z
    .object({
      text: z.string().max(PLAN_LIMITS.maxInputLength).optional(),
      /** Name and parameters of a sample generator the app knows (e.g. examples' synthetic documents). */
      generator: generatorSchema.optional(),
    })
    .default({}),
  nodes: z.array(nodeSchema).max(PLAN_LIMITS.maxNodes),
  wires: z.array(wireSchema).max(PLAN_LIMITS.maxWires),
  planner: plannerSettingsSchema.default(plannerSettingsSchema.parse({})),
  view: viewSchema.default({ positions: {}, sizes: {} }),
});
export type Plan = z.infer<typeof planSchema>;
/** A plan as written in a file, before defaults are filled in. */
export type PlanInput = z.input<typeof planSchema>;

/**
 * How a node kind is declared in the catalog (one file per kind under `nodes/`). Port types live here,
 * never in handle ids. Ports may depend on the node's parameters (an LLM's named template inputs) and
 * on where it sits (an Entry's ports depend on its container), so they are computed from the plan.
 */
import type { NodeKind, Plan, PlanNode } from './plan.ts';
import type { Type } from './types.ts';

export interface PortSpec {
  name: string;
  type: Type;
  label: string;
  /** An optional input may be left unwired. */
  optional?: boolean;
  description?: string;
}

export type ParamKind = 'string' | 'text' | 'template' | 'int' | 'number' | 'boolean' | 'enum' | 'json';

export interface ParamSpec {
  name: string;
  label: string;
  kind: ParamKind;
  default: unknown;
  description: string;
  /** For enums. */
  options?: readonly string[];
  min?: number;
  max?: number;
  /** Shown only when this returns true for the node's current params (e.g. size only for split by size). */
  visible?: (params: Record<string, unknown>) => boolean;
}

export type NodeGroup = 'source' | 'symbolic' | 'higher-order' | 'neural' | 'output' | 'structure';

export interface NodeSpec {
  kind: NodeKind;
  group: NodeGroup;
  title: string;
  /** One line, shown in the palette. */
  description: string;
  params: readonly ParamSpec[];
  ports(node: PlanNode, plan: Plan): { inputs: PortSpec[]; outputs: PortSpec[] };
  /** Containers list the bodies they own. */
  container?: { slots: readonly ('body' | 'base' | 'step')[] };
  /** Structure nodes (Entry, Exit, Self) are created with their container, not from the palette. */
  inPalette: boolean;
}

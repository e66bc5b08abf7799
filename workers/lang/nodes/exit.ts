import { containerOf } from '../check/graph.ts';
import type { NodeSpec } from './node-spec.ts';

/**
 * A body's result: B for Map, Bool for Filter, B for Reduce, R for Fix (`bodyPorts` in the container's
 * spec). Role `exit`: the evaluator reads the body's result from its input.
 */
export const exitSpec: NodeSpec = {
  kind: 'Exit',
  group: 'structure',
  title: 'Exit',
  description: "The body's result.",
  params: [],
  role: 'exit',
  placement: 'body',
  typeScope: 'container',
  ports: (node, plan, kinds) => {
    const where = containerOf(node, plan);
    const container = where ? kinds[where.container.kind]?.container : undefined;
    const inputs = where && container ? container.bodyPorts(where.container, where.slot).exit : [];
    return { inputs, outputs: [] };
  },
};

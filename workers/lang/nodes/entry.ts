import { containerOf } from '../check/graph.ts';
import type { NodeSpec } from './node-spec.ts';

/**
 * A body's argument: its ports are what the container hands its body (`bodyPorts` in the container's
 * spec). Its type variables belong to the container (the checker scopes them so), so a Map body's
 * `item: A` is the Map's A. Role `entry`: the evaluator sets its value when it runs the body.
 */
export const entrySpec: NodeSpec = {
  kind: 'Entry',
  group: 'structure',
  title: 'Entry',
  description: "The body's argument: the item, the two values to combine, or P.",
  params: [],
  role: 'entry',
  placement: 'body',
  typeScope: 'container',
  ports: (node, plan, kinds) => {
    const where = containerOf(node, plan);
    const container = where ? kinds[where.container.kind]?.container : undefined;
    const outputs = where && container ? container.bodyPorts(where.container, where.slot).entry : [];
    return { inputs: [], outputs };
  },
};

import { containerOf } from '../check/graph.ts';
import { Str, Var } from '../check/types.ts';
import type { NodeSpec, PortSpec } from './node-spec.ts';
import { reduceTypes } from './reduce.ts';

/**
 * A body's argument. Its type variables belong to the container (the checker scopes them so), so a Map
 * body's `item: A` is the Map's A.
 */
export const entrySpec: NodeSpec = {
  kind: 'Entry',
  group: 'structure',
  title: 'Entry',
  description: "The body's argument: the item, the two values to combine, or P.",
  params: [],
  inPalette: false,
  ports: (node, plan) => {
    const where = containerOf(node, plan);
    let outputs: PortSpec[] = [];
    switch (where?.container.kind) {
      case 'Map':
      case 'Filter':
        outputs = [{ name: 'item', type: Var('A'), label: 'item' }];
        break;
      case 'Reduce': {
        const { result } = reduceTypes(where.container.params.op ?? 'concat');
        outputs = [
          { name: 'left', type: result, label: 'left' },
          { name: 'right', type: result, label: 'right' },
        ];
        break;
      }
      case 'Fix':
        outputs = [{ name: 'text', type: Str, label: 'P' }];
        break;
    }
    return { inputs: [], outputs };
  },
};

import { containerOf } from '../check/graph.ts';
import { Bool, Var } from '../check/types.ts';
import type { NodeSpec, PortSpec } from './node-spec.ts';
import { reduceTypes } from './reduce.ts';

/** A body's result: B for Map, Bool for Filter, B for Reduce, R for Fix. */
export const exitSpec: NodeSpec = {
  kind: 'Exit',
  group: 'structure',
  title: 'Exit',
  description: "The body's result.",
  params: [],
  inPalette: false,
  ports: (node, plan) => {
    const where = containerOf(node, plan);
    let inputs: PortSpec[] = [];
    switch (where?.container.kind) {
      case 'Map':
        inputs = [{ name: 'result', type: Var('B'), label: 'result' }];
        break;
      case 'Filter':
        inputs = [{ name: 'keep', type: Bool, label: 'keep?' }];
        break;
      case 'Reduce':
        inputs = [
          {
            name: 'result',
            type: reduceTypes(where.container.params.op ?? 'concat').result,
            label: 'result',
          },
        ];
        break;
      case 'Fix':
        inputs = [{ name: 'result', type: Var('R'), label: 'result' }];
        break;
    }
    return { inputs, outputs: [] };
  },
};

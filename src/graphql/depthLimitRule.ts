import { GraphQLError, Kind, type SelectionSetNode, type ValidationRule } from 'graphql';

/**
 * Refuses operations nested deeper than `maxDepth` fields (`{ a { b } }` is 2), fragments included,
 * with QUERY_TOO_DEEP. Introspection (__schema, __type) is exempt: GraphiQL's own query is deep.
 * A fragment's depth is computed once, so a fan-out of fragments cannot make validation slow.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragmentDepth = new Map<string, number>();
    const depthOf = (set: SelectionSetNode, visiting: Set<string>): number => {
      let max = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          max = Math.max(max, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, visiting) : 0));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          max = Math.max(max, depthOf(selection.selectionSet, visiting));
        } else {
          const name = selection.name.value;
          if (visiting.has(name)) continue; // a cycle: NoFragmentCyclesRule reports it
          let depth = fragmentDepth.get(name);
          if (depth === undefined) {
            const fragment = context.getFragment(name);
            depth = fragment ? depthOf(fragment.selectionSet, new Set([...visiting, name])) : 0;
            fragmentDepth.set(name, depth);
          }
          max = Math.max(max, depth);
        }
      }
      return max;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`This operation is ${depth} levels deep; the limit is ${maxDepth}. Split it into smaller queries.`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth },
            }),
          );
        }
      },
    };
  };
}

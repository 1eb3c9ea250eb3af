import { GraphQLError, Kind, type SelectionSetNode, type ValidationRule } from 'graphql';

/**
 * At most one `__schema` per operation, fragments and aliases included. The whole schema is the
 * largest answer Omega gives (GraphiQL's introspection query asks for it once); fifteen aliases of
 * it, all the alias limit allows, made a 2.4 MB answer for a caller without credentials.
 * `__type` (one type) is bounded by the alias limit and graphql-js's MaxIntrospectionDepthRule.
 */
export function introspectionCountRule(): ValidationRule {
  return (context) => {
    const count = (set: SelectionSetNode, visiting: Set<string>): number => {
      let n = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          n += selection.name.value === '__schema' ? 1 : selection.selectionSet ? count(selection.selectionSet, visiting) : 0;
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          n += count(selection.selectionSet, visiting);
        } else if (!visiting.has(selection.name.value)) {
          const fragment = context.getFragment(selection.name.value);
          if (fragment) n += count(fragment.selectionSet, new Set([...visiting, selection.name.value]));
        }
        if (n > 1) return n;
      }
      return n;
    };
    return {
      OperationDefinition(node) {
        if (count(node.selectionSet, new Set()) > 1) {
          context.reportError(new GraphQLError('Ask for __schema once per operation: the whole schema is the largest answer there is.', { nodes: [node], extensions: { code: 'QUERY_TOO_COSTLY' } }));
        }
      },
    };
  };
}

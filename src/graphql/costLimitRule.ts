import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type FieldNode,
  type GraphQLCompositeType,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

/** Assumed size of a list with no page size of its own (locations, steps, ...). */
const DEFAULT_LIST_SIZE = 10;
/** Assumed page size when `first`/`last` comes from a variable (validation cannot see its value). */
const VARIABLE_PAGE_SIZE = 100;

/**
 * Estimates how many objects an operation can return and refuses it with QUERY_TOO_COSTLY above
 * `maxCost`. Every object-typed field costs 1 per parent object; a paginated field (`first`/`last`)
 * multiplies what is under it by its page size (its edges/nodes lists then add no factor of their
 * own); any other list multiplies by DEFAULT_LIST_SIZE. Scalars are free; introspection is exempt.
 * The cost is linear in the multiplier, so each fragment is costed once per parent type.
 */
export function costLimitRule(maxCost: number): ValidationRule {
  return (context) => {
    const schema = context.getSchema();
    const fragmentCost = new Map<string, number>();

    const pageSize = (field: FieldNode): number | undefined => {
      const arg = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
      if (!arg) return undefined;
      if (arg.value.kind === Kind.INT) return Math.max(0, Number(arg.value.value));
      if (arg.value.kind === Kind.VARIABLE) return VARIABLE_PAGE_SIZE;
      return undefined;
    };

    /** Cost of a selection set for one parent object. `paginated`: the parent field set a page size. */
    const costOf = (set: SelectionSetNode, parent: GraphQLCompositeType, paginated: boolean, visiting: Set<string>): number => {
      let total = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
          const def = parent.getFields()[name];
          if (!def) continue;
          const named = getNamedType(def.type);
          if (!isCompositeType(named)) continue;
          const own = pageSize(selection);
          const isList = isListType(getNullableType(def.type));
          const factor = own ?? (isList ? (paginated ? 1 : DEFAULT_LIST_SIZE) : 1);
          const childPaginated = own !== undefined && !isList;
          const objects = isList ? factor : 1;
          const children = selection.selectionSet ? costOf(selection.selectionSet, named, childPaginated, visiting) : 0;
          total += objects + (isList ? factor : (own ?? 1)) * children;
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const typeName = selection.typeCondition?.name.value;
          const type = typeName ? schema.getType(typeName) : parent;
          total += costOf(selection.selectionSet, type && isCompositeType(type) ? type : parent, paginated, visiting);
        } else {
          const name = selection.name.value;
          if (visiting.has(name)) continue;
          const fragment = context.getFragment(name);
          if (!fragment) continue;
          const type = schema.getType(fragment.typeCondition.name.value);
          const key = `${name}:${parent.name}:${paginated}`;
          let cost = fragmentCost.get(key);
          if (cost === undefined) {
            cost = costOf(fragment.selectionSet, type && isCompositeType(type) ? type : parent, paginated, new Set([...visiting, name]));
            fragmentCost.set(key, cost);
          }
          total += cost;
        }
        if (total > Number.MAX_SAFE_INTEGER / 1000) return total;
      }
      return total;
    };

    return {
      OperationDefinition(node) {
        const root = node.operation === OperationTypeNode.QUERY ? schema.getQueryType() : node.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getSubscriptionType();
        if (!root) return;
        const cost = costOf(node.selectionSet, root, false, new Set());
        if (cost > maxCost) {
          context.reportError(
            new GraphQLError(`This operation could return about ${Math.round(cost)} objects; the limit is ${maxCost}. Ask for smaller pages (first/last) or fewer nested lists.`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COSTLY', cost: Math.round(cost), maxCost },
            }),
          );
        }
      },
    };
  };
}

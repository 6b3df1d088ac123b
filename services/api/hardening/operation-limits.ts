import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** Limits on one GraphQL document, enforced during validation before anything executes. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  /** Estimated fields resolved, list fields multiplied by their `first` (default 50). */
  maxCost: number;
  /** Root fields per operation: a cap on work batched into one request. */
  maxRootFields: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxCost: 5000,
  maxRootFields: 10,
};

const refuse = (context: ValidationContext, message: string) =>
  context.reportError(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));

/**
 * One validation rule computing depth, aliases and cost per operation, following
 * fragment spreads (cycles are already rejected by graphql-js's own rules).
 */
export function operationLimitsRule(limits: OperationLimits = DEFAULT_OPERATION_LIMITS): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const measure = (
      set: SelectionSetNode,
      depth: number,
      seen: Set<string>,
    ): { depth: number; aliases: number; cost: number } => {
      let result = { depth, aliases: 0, cost: 0 };
      for (const selection of set.selections) {
        let inner: { depth: number; aliases: number; cost: number } | undefined;
        if (selection.kind === Kind.FIELD) {
          const field = selection as FieldNode;
          const multiplier = listMultiplier(field);
          inner = field.selectionSet
            ? measure(field.selectionSet, depth + 1, seen)
            : { depth: depth + 1, aliases: 0, cost: 0 };
          inner = {
            depth: inner.depth,
            aliases: inner.aliases + (field.alias ? 1 : 0),
            cost: 1 + multiplier * inner.cost,
          };
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          inner = measure(selection.selectionSet, depth, seen);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || seen.has(fragment.name.value)) continue;
          inner = measure(fragment.selectionSet, depth, new Set([...seen, fragment.name.value]));
        }
        result = {
          depth: Math.max(result.depth, inner.depth),
          aliases: result.aliases + inner.aliases,
          cost: result.cost + inner.cost,
        };
      }
      return result;
    };
    return {
      OperationDefinition(node) {
        const rootFields = node.selectionSet.selections.length;
        if (rootFields > limits.maxRootFields) {
          refuse(context, `An operation may select at most ${limits.maxRootFields} root fields.`);
          return;
        }
        const { depth, aliases, cost } = measure(node.selectionSet, 0, new Set());
        if (depth > limits.maxDepth)
          refuse(context, `The operation is ${depth} levels deep; at most ${limits.maxDepth} are allowed.`);
        if (aliases > limits.maxAliases)
          refuse(context, `The operation uses ${aliases} aliases; at most ${limits.maxAliases} are allowed.`);
        if (cost > limits.maxCost)
          refuse(context, `The operation's estimated cost ${cost} exceeds ${limits.maxCost}.`);
      },
    };
  };
}

function listMultiplier(field: FieldNode): number {
  const first = field.arguments?.find((a) => a.name.value === 'first');
  if (!first) return field.name.value === 'secrets' || field.name.value === 'auditEvents' ? 50 : 1;
  return first.value.kind === Kind.INT ? Math.max(1, Number(first.value.value)) : 100;
}

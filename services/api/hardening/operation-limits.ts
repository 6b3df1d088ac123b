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
  /**
   * Lexical tokens per document, enforced by the parser itself: it stops at the limit,
   * before graphql-js's recursive descent can overflow the stack on deep nesting
   * (about 2,000 levels) and before validation rules that grow with the square of the
   * field count (overlapping fields) see a flood. Real Strongroom operations use a
   * few hundred tokens at most.
   */
  maxTokens: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxCost: 5000,
  maxRootFields: 10,
  maxTokens: 2000,
};

/** What a selection set adds below the point it is selected at. */
interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

const refuse = (context: ValidationContext, message: string) =>
  context.reportError(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));

/**
 * One validation rule computing depth, aliases and cost per operation, following
 * fragment spreads. Each fragment is measured once and its measure reused wherever it
 * is spread: walking spreads afresh is exponential in a "fragment bomb" (F2 spreads F1
 * twice, F3 spreads F2 twice, ...), which would let a 1 KB document hold the event loop.
 * Counts grow as the expansion does, so such a document is refused on cost. A spread
 * that reaches its own fragment again adds nothing here; graphql-js's NoFragmentCycles
 * refuses the document anyway.
 */
export function operationLimitsRule(limits: OperationLimits = DEFAULT_OPERATION_LIMITS): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const measured = new Map<string, Measure>();
    const inProgress = new Set<string>();

    const measureFragment = (name: string): Measure => {
      const known = measured.get(name);
      if (known) return known;
      const fragment = fragments.get(name);
      if (!fragment || inProgress.has(name)) return { depth: 0, aliases: 0, cost: 0 };
      inProgress.add(name);
      const result = measure(fragment.selectionSet);
      inProgress.delete(name);
      measured.set(name, result);
      return result;
    };

    const measure = (set: SelectionSetNode): Measure => {
      const result: Measure = { depth: 0, aliases: 0, cost: 0 };
      for (const selection of set.selections) {
        let inner: Measure;
        if (selection.kind === Kind.FIELD) {
          const below = selection.selectionSet
            ? measure(selection.selectionSet)
            : { depth: 0, aliases: 0, cost: 0 };
          inner = {
            depth: below.depth + 1,
            aliases: below.aliases + (selection.alias ? 1 : 0),
            cost: 1 + listMultiplier(selection) * below.cost,
          };
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          inner = measure(selection.selectionSet);
        } else {
          inner = measureFragment(selection.name.value);
        }
        result.depth = Math.max(result.depth, inner.depth);
        result.aliases += inner.aliases;
        result.cost += inner.cost;
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
        const { depth, aliases, cost } = measure(node.selectionSet);
        if (depth > limits.maxDepth)
          refuse(context, `The operation is ${depth} levels deep; at most ${limits.maxDepth} are allowed.`);
        if (aliases > limits.maxAliases)
          refuse(context, `The operation uses ${aliases} aliases; at most ${limits.maxAliases} are allowed.`);
        if (cost > limits.maxCost)
          refuse(context, `The operation's estimated cost ${formatCount(cost)} exceeds ${limits.maxCost}.`);
      },
    };
  };
}

/** Counts from a fragment bomb outgrow exact integers; the message stays short either way. */
const formatCount = (n: number): string => (Number.isSafeInteger(n) ? String(n) : 'over 2^53');

function listMultiplier(field: FieldNode): number {
  const first = field.arguments?.find((a) => a.name.value === 'first');
  if (!first) return field.name.value === 'secrets' || field.name.value === 'auditEvents' ? 50 : 1;
  return first.value.kind === Kind.INT ? Math.max(1, Number(first.value.value)) : 100;
}

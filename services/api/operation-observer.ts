import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { GraphQLContext } from './graphql-context.js';

/**
 * What a request turned out to be, for its log line and its metrics: filled in by the
 * plugin below while Apollo runs, read by the HTTP route once the answer is sent.
 */
export interface ObservedOperation {
  /** `<type> <root fields>`, e.g. `mutation createSecret`; unset until an operation resolved. */
  operation?: string;
  /** `ok`, or the `extensions.code` of the first error. */
  outcome?: string;
  /** Set when the caller was refused for failing authentication too often: answered 429 with Retry-After. */
  retryAfterSeconds?: number;
}

/**
 * Names an operation by its kind and the schema's root fields it selects (sorted,
 * distinct). Built from the validated document only, never from the caller's
 * `operationName`: the label is bounded by the schema, so it is safe as a metric
 * label and carries nothing the caller chose.
 */
export function operationLabel(operation: OperationDefinitionNode, document: DocumentNode): string {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const fields = new Set<string>();
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return `${operation.operation} ${[...fields].sort().join(',')}`;
}

/** Records the operation and outcome of each request into its context's `observed`. */
export function operationObserving(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (operation) contextValue.observed.operation = operationLabel(operation, document);
        },
        async willSendResponse({ contextValue, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.code;
          contextValue.observed.outcome = errors?.length ? (typeof code === 'string' ? code : 'ERROR') : 'ok';
        },
      };
    },
  };
}

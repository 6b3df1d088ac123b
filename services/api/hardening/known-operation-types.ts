import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses operations whose root type the schema lacks (a `subscription`: Strongroom
 * has none). graphql-js 16 validates them without complaint and only fails while
 * executing, with an uncoded error that would surface as INTERNAL_SERVER_ERROR and
 * be logged as unexpected. (graphql-js 17 ships this rule as KnownOperationTypesRule.)
 */
export const knownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    const root =
      node.operation === 'query'
        ? schema.getQueryType()
        : node.operation === 'mutation'
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    if (!root) {
      context.reportError(
        new GraphQLError(`This API has no ${node.operation} operations.`, {
          nodes: node,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      );
    }
  },
});

import type { ApolloServerPlugin } from '@apollo/server';
import { classifyError, loggableCause } from './error-mapping.js';
import type { GraphQLContext } from './graphql-context.js';

/**
 * Logs every error a GraphQL request met with the request's own logger (so with its
 * request id): server-side failures with their cause at error level, refusals and bad
 * requests by code only at debug. Never a message a caller wrote: those may quote values.
 */
export function requestErrorLogging(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const sorted = classifyError(error, error.extensions?.code);
            if (sorted.kind === 'server') {
              contextValue.log.error(
                { err: loggableCause(sorted.error), requestPath: error.path },
                sorted.unexpected ? 'unexpected error' : 'operation failed',
              );
            } else {
              contextValue.log.debug({ code: sorted.code, requestPath: error.path }, 'request refused');
            }
          }
        },
      };
    },
  };
}

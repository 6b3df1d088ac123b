import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer, type ApolloServerOptions } from '@apollo/server';

type ApolloResolvers = Extract<ApolloServerOptions<GraphQLContext>, { typeDefs: unknown }>['resolvers'];
import type { Logger } from '../core/logging/logger.js';
import { createErrorFormatter } from './error-mapping.js';
import { operationObserving } from './operation-observer.js';
import { requestErrorLogging } from './request-error-logging.js';
import type { GraphQLContext } from './graphql-context.js';
import {
  operationLimitsRule,
  DEFAULT_OPERATION_LIMITS,
  type OperationLimits,
} from './hardening/operation-limits.js';
import { knownOperationTypesRule } from './hardening/known-operation-types.js';
import { auditResolvers } from './resolvers/audit-resolvers.js';
import { DateTimeScalar } from './resolvers/scalars.js';
import { secretResolvers } from './resolvers/secret-resolvers.js';
import { webhookResolvers } from './resolvers/webhook-resolvers.js';

/** The SDL files of schema/, read once at start. */
export function loadTypeDefs(schemaDir: string): string[] {
  return readdirSync(schemaDir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(schemaDir, file), 'utf8'));
}

/**
 * Apollo Server with Strongroom's production posture: introspection only in
 * development, batched HTTP requests and persisted queries refused, CSRF prevention
 * on, a token limit while parsing, depth/alias/cost limits during validation, and
 * every error normalised by one formatter.
 */
export function createGraphQLServer({
  typeDefs,
  logger,
  production,
  limits = DEFAULT_OPERATION_LIMITS,
}: {
  typeDefs: string[];
  logger: Logger;
  production: boolean;
  limits?: OperationLimits;
}): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    typeDefs,
    resolvers: [
      { DateTime: DateTimeScalar },
      secretResolvers,
      auditResolvers,
      webhookResolvers,
    ] as ApolloResolvers,
    introspection: !production,
    allowBatchedHttpRequests: false,
    // No automatic persisted queries: the API does not document them, their cache is
    // memory any caller could fill, and Apollo reports a bad `persistedQuery` extension
    // with uncoded errors that would surface as INTERNAL_SERVER_ERROR.
    persistedQueries: false,
    csrfPrevention: true,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [knownOperationTypesRule, operationLimitsRule(limits)],
    formatError: createErrorFormatter(),
    plugins: [requestErrorLogging(), operationObserving()],
    // Apollo's own SIGTERM handler stops it and re-raises the signal, killing the process
    // before requests in flight finish; the process's command owns shutdown instead.
    stopOnTerminationSignals: false,
    logger: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.info(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
  });
}

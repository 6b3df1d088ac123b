import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer, type ApolloServerOptions } from '@apollo/server';

type ApolloResolvers = Extract<ApolloServerOptions<GraphQLContext>, { typeDefs: unknown }>['resolvers'];
import type { Logger } from '../core/logging/logger.js';
import { createErrorFormatter } from './error-mapping.js';
import type { GraphQLContext } from './graphql-context.js';
import {
  operationLimitsRule,
  DEFAULT_OPERATION_LIMITS,
  type OperationLimits,
} from './hardening/operation-limits.js';
import { auditResolvers } from './resolvers/audit-resolvers.js';
import { DateTimeScalar } from './resolvers/scalars.js';
import { secretResolvers } from './resolvers/secret-resolvers.js';

/** The SDL files of schema/, read once at start. */
export function loadTypeDefs(schemaDir: string): string[] {
  return readdirSync(schemaDir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(schemaDir, file), 'utf8'));
}

/**
 * Apollo Server with Strongroom's production posture: introspection only in
 * development, batched HTTP requests refused, CSRF prevention on, depth/alias/cost
 * limits during validation, and every error normalised by one formatter.
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
    resolvers: [{ DateTime: DateTimeScalar }, secretResolvers, auditResolvers] as ApolloResolvers,
    introspection: !production,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    validationRules: [operationLimitsRule(limits)],
    formatError: createErrorFormatter(logger),
    logger: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.info(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
  });
}

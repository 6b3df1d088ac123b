import type { Resolvers } from '../gen/resolvers-types.js';
import { toConnection } from './secret-resolvers.js';

/** Audit queries for `audit:read` tokens; the rules live in the audit query service. */
export const auditResolvers: Resolvers = {
  Query: {
    auditEvents: async (_root, { filter, first, after }, ctx) =>
      toConnection(await ctx.services.audit.listEvents(await ctx.principal(), filter, first, after), after),
    verifyAuditLog: async (_root, _args, ctx) => ctx.services.audit.verify(await ctx.principal()),
  },
};

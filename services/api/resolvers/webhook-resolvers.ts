import type { Resolvers } from '../gen/resolvers-types.js';
import { toConnection } from './secret-resolvers.js';

/** Webhook endpoints and deliveries (SPEC §5.2); the rules live in the webhook endpoint service. */
export const webhookResolvers: Resolvers = {
  Query: {
    webhookEndpoints: async (_root, _args, ctx) => ctx.services.webhooks.listEndpoints(await ctx.principal()),
    webhookDeliveries: async (_root, { endpointId, first, after }, ctx) =>
      toConnection(
        await ctx.services.webhooks.listDeliveries(await ctx.principal(), endpointId, first, after),
        after,
      ),
  },
  Mutation: {
    createWebhookEndpoint: async (_root, { input }, ctx) =>
      ctx.services.webhooks.createEndpoint(await ctx.principal(), input),
    updateWebhookEndpoint: async (_root, { input }, ctx) =>
      ctx.services.webhooks.updateEndpoint(await ctx.principal(), input),
    deleteWebhookEndpoint: async (_root, { id }, ctx) =>
      ctx.services.webhooks.deleteEndpoint(await ctx.principal(), id),
    rotateWebhookSigningSecret: async (_root, { id }, ctx) =>
      ctx.services.webhooks.rotateSigningSecret(await ctx.principal(), id),
    redeliverWebhookEvent: async (_root, { deliveryId }, ctx) =>
      ctx.services.webhooks.redeliver(await ctx.principal(), deliveryId),
    sendTestWebhookEvent: async (_root, { endpointId }, ctx) =>
      ctx.services.webhooks.sendTest(await ctx.principal(), endpointId),
  },
};

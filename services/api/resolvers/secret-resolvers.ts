import type { Page, SecretView } from '../../core/secrets/secret-types.js';
import type { Resolvers } from '../gen/resolvers-types.js';

/** Relay connection from a domain page. */
export function toConnection<T>(
  page: { items: Array<{ cursor: string; node: T }>; hasNextPage: boolean },
  after?: string | null,
) {
  return {
    edges: page.items,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: Boolean(after),
      startCursor: page.items[0]?.cursor ?? null,
      endCursor: page.items.at(-1)?.cursor ?? null,
    },
  };
}

/** Secret queries and mutations: parse, call one domain function, return. */
export const secretResolvers: Resolvers = {
  Query: {
    secrets: async (_root, { filter, first, after }, ctx) => {
      const page: Page<SecretView> = await ctx.services.secrets.listSecrets(
        await ctx.principal(),
        filter,
        first,
        after,
      );
      return { ...toConnection(page, after), totalCount: page.totalCount };
    },
    secret: async (_root, { id }, ctx) => ctx.services.secrets.getSecret(await ctx.principal(), id),
    checkSecretReferences: async (_root, { names, runAs }, ctx) =>
      ctx.services.references.checkSecretReferences(await ctx.principal(), names, runAs),
  },
  Mutation: {
    createSecret: async (_root, { input }, ctx) =>
      ctx.services.secrets.createSecret(await ctx.principal(), input),
    updateSecretValue: async (_root, { input }, ctx) =>
      ctx.services.secrets.updateSecretValue(await ctx.principal(), input),
    updateSecret: async (_root, { input }, ctx) =>
      ctx.services.secrets.updateSecret(await ctx.principal(), input),
    deleteSecret: async (_root, { id }, ctx) => ctx.services.secrets.deleteSecret(await ctx.principal(), id),
    importSecrets: async (_root, { input }, ctx) =>
      ctx.services.imports.importSecrets(await ctx.principal(), input),
    registerSystemSecret: async (_root, { input }, ctx) =>
      ctx.services.systemSecrets.registerSystemSecret(await ctx.principal(), input),
    revokeSystemSecret: async (_root, { input }, ctx) =>
      ctx.services.systemSecrets.revokeSystemSecret(await ctx.principal(), input),
    addSecretMember: async (_root, { input }, ctx) =>
      ctx.services.members.addSecretMember(await ctx.principal(), input),
    removeSecretMember: async (_root, { input }, ctx) =>
      ctx.services.members.removeSecretMember(await ctx.principal(), input),
    restoreSecretVersion: async (_root, { input }, ctx) =>
      ctx.services.versions.restoreSecretVersion(await ctx.principal(), input),
    destroySecretVersion: async (_root, { input }, ctx) =>
      ctx.services.versions.destroySecretVersion(await ctx.principal(), input),
  },
  Secret: {
    versions: async (secret, { first, after }, ctx) => {
      const page = await ctx.services.versions.listVersions(await ctx.principal(), secret.id, first, after);
      return { ...toConnection(page, after), totalCount: page.totalCount };
    },
  },
};

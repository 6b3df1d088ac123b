import type { SecretsPageQuery as SecretsPageResult } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { SecretsPageQuery } from './secrets-queries';

/** Rows per page: a screenful, and well inside the API's limit of 100. */
export const PAGE_SIZE = 50;

type Scope = 'WORKSPACE' | 'PERSONAL';

/** The variables of one page request of one section. */
export const pageVariables = (
  scope: Scope,
  search: string,
  includeSystemManaged: boolean,
  after: string | null,
) => ({
  filter: { scope, includeSystemManaged, nameContains: search.trim() || null },
  first: PAGE_SIZE,
  after,
});

/** The first page of each section, requested before the page's code has even loaded. */
export interface FirstPages {
  /** The answer already on its way for this request, once; undefined for any other request. */
  take(
    scope: Scope,
    request: { search: string; includeSystemManaged: boolean; after: string | null },
  ): Promise<SecretsPageResult> | undefined;
}

/**
 * Sends the secrets page's first two requests at once. On a cold start, loading and
 * rendering React takes about as long as the API takes to answer with the first page
 * of 10,000 secrets; asking first lets the two overlap. A preloaded answer is only an
 * early start: the page asks again through its own client if it failed.
 */
export function preloadFirstPages(client: GraphQLClient): FirstPages {
  const pending = new Map<Scope, Promise<SecretsPageResult>>();
  for (const scope of ['WORKSPACE', 'PERSONAL'] as const) {
    const answer = client.request(SecretsPageQuery, pageVariables(scope, '', false, null));
    // Kept from counting as unhandled until a section takes it (or never does).
    answer.catch(() => {});
    pending.set(scope, answer);
  }
  return {
    take(scope, { search, includeSystemManaged, after }) {
      if (search.trim() !== '' || includeSystemManaged || after !== null) return undefined;
      const answer = pending.get(scope);
      pending.delete(scope);
      return answer;
    },
  };
}

import { useCallback, useEffect, useState } from 'react';
import type { SecretsPageQuery as SecretsPageResult } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError, type ConsoleError } from '../graphql/console-error';
import { PAGE_SIZE, pageVariables, type FirstPages } from './first-pages';
import { SecretsPageQuery } from './secrets-queries';

export type SecretRow = SecretsPageResult['secrets']['edges'][number]['node'];
export { PAGE_SIZE };

interface LoadedPage {
  /** The request this answers (search, cursor, reload count), to tell a fresh page from a stale one. */
  request: string;
  rows: SecretRow[];
  total: number;
  hasNext: boolean;
  end: string | null;
}

/**
 * One section's rows, a page at a time over the API's cursors. Paging never loads
 * more than one page, so 10,000 secrets cost what 50 do; the cursors of the pages
 * before are kept to go back. A newer request aborts an older one, so a quick search
 * never shows the answer to what was typed before.
 */
export function useSecretPages(
  client: GraphQLClient,
  query: {
    scope: 'WORKSPACE' | 'PERSONAL';
    search: string;
    includeSystemManaged: boolean;
    enabled: boolean;
    /** The first page, when it was requested before the page loaded. */
    firstPages?: FirstPages;
  },
) {
  const { scope, search, includeSystemManaged, enabled, firstPages } = query;
  // The cursors belong to one search: a new search or toggle starts again at the first page.
  const queryKey = JSON.stringify([scope, search.trim(), includeSystemManaged]);
  const [paging, setPaging] = useState({ key: queryKey, cursors: [null] as Array<string | null> });
  const cursors = paging.key === queryKey ? paging.cursors : [null];
  const after = cursors.at(-1) ?? null;
  const [reloads, setReloads] = useState(0);
  const request = JSON.stringify([queryKey, after, reloads]);
  const [page, setPage] = useState<LoadedPage>();
  const [failure, setFailure] = useState<{ request: string; error: ConsoleError }>();

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const ask = () =>
      client.request(
        SecretsPageQuery,
        pageVariables(scope, search, includeSystemManaged, after),
        controller.signal,
      );
    const preloaded = firstPages?.take(scope, { search, includeSystemManaged, after });
    (preloaded ? preloaded.catch(ask) : ask())
      .then(({ secrets }) => {
        if (controller.signal.aborted) return;
        setPage({
          request,
          rows: secrets.edges.map((e) => e.node),
          total: secrets.totalCount,
          hasNext: secrets.pageInfo.hasNextPage,
          end: secrets.pageInfo.endCursor ?? null,
        });
        setFailure(undefined);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setFailure({ request, error: asConsoleError(caught) });
      });
    return () => controller.abort();
  }, [client, scope, search, includeSystemManaged, after, enabled, request, firstPages]);

  const moveTo = (next: Array<string | null>) => setPaging({ key: queryKey, cursors: next });
  const reload = useCallback(() => setReloads((n) => n + 1), [setReloads]);

  return {
    /** The rows last loaded; kept on screen while the next page is on its way. */
    rows: page?.rows ?? [],
    total: page?.total ?? 0,
    loaded: page !== undefined,
    loading: enabled && page?.request !== request && failure?.request !== request,
    error: failure?.request === request ? failure.error : undefined,
    firstIndex: (cursors.length - 1) * PAGE_SIZE,
    hasNext: page?.request === request && page.hasNext,
    hasPrevious: cursors.length > 1,
    next: () => {
      if (page?.request === request && page.hasNext && page.end) moveTo([...cursors, page.end]);
    },
    previous: () => moveTo(cursors.length > 1 ? cursors.slice(0, -1) : cursors),
    reload,
  };
}

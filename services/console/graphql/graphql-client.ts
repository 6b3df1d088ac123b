import type { TypedDocumentString } from '../gen/graphql';
import { ConsoleError, toErrorCode } from './console-error';

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message?: string; extensions?: { code?: unknown; field?: unknown; line?: unknown } }>;
}

/** Sends typed operations to the API's public `/graphql`, as any other client would. */
export interface GraphQLClient {
  request<Result, Variables>(
    document: TypedDocumentString<Result, Variables>,
    variables: Variables,
    signal?: AbortSignal,
  ): Promise<Result>;
}

/**
 * A fetch client for the console: same origin, bearer token, JSON. `content-type:
 * application/json` is what Apollo's CSRF prevention asks of a browser request (a
 * cross-site page cannot send it without a preflight), so that protection stays on.
 * No credentials (cookies) and no referrer go with it. `onUnauthenticated` lets the
 * session end when the API no longer accepts the token.
 */
export function createGraphQLClient({
  endpoint = '/graphql',
  token,
  onUnauthenticated,
  fetchImpl = (input, init) => fetch(input, init),
}: {
  endpoint?: string;
  token: string;
  onUnauthenticated?: () => void;
  fetchImpl?: typeof fetch;
}): GraphQLClient {
  return {
    async request(document, variables, signal) {
      let response: Response;
      try {
        response = await fetchImpl(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            authorization: `Bearer ${token}`,
          },
          body: JSON.stringify({ query: document.toString(), variables }),
          credentials: 'omit',
          cache: 'no-store',
          referrerPolicy: 'no-referrer',
          signal,
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ConsoleError('NETWORK', undefined);
      }
      let body: GraphQLResponse<never>;
      try {
        body = (await response.json()) as GraphQLResponse<never>;
      } catch {
        throw new ConsoleError(response.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'UNKNOWN', undefined);
      }
      const first = body.errors?.[0];
      if (first) {
        const code = toErrorCode(first.extensions?.code);
        if (code === 'UNAUTHENTICATED') onUnauthenticated?.();
        const { field, line } = first.extensions ?? {};
        throw new ConsoleError(
          code,
          first.message,
          typeof field === 'string' ? field : undefined,
          typeof line === 'number' ? line : undefined,
        );
      }
      if (!body.data) throw new ConsoleError('UNKNOWN', undefined);
      return body.data;
    },
  };
}

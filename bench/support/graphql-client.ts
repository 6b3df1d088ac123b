import { loadOrCreateDevJwtKeys, signDevToken } from '../../services/core/auth/dev-jwt-keys.js';

/** Posts GraphQL over HTTP (fetch, keep-alive); any error in the answer is thrown. */
export function createGraphqlClient(url: string, token?: string) {
  return async function request<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length || !body.data)
      throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
    return body.data;
  };
}

export type GraphqlRequest = ReturnType<typeof createGraphqlClient>;

/**
 * A development admin token for `workspaceId`, signed with the key pair in `dataDir`,
 * which the dev-mode API started on that data dir verifies.
 */
export async function adminToken(dataDir: string, workspaceId: string): Promise<string> {
  const keys = await loadOrCreateDevJwtKeys(dataDir);
  return signDevToken(
    keys,
    { sub: 'bench-admin', wid: workspaceId, role: 'admin' },
    {
      issuer: 'strongroom-dev',
      audience: 'strongroom',
      expiresIn: '2h',
    },
  );
}

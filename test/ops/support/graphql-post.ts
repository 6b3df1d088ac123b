/** A GraphQL response body; `data` shapes vary per operation. */
export interface GraphQLBody {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes vary per operation
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** One GraphQL POST to a local API: status, the echoed request id, and the parsed body. */
export async function graphqlPost(
  port: number,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; requestId: string | null; body: GraphQLBody }> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = JSON.parse(await response.text()) as GraphQLBody;
  return { status: response.status, requestId: response.headers.get('x-request-id'), body };
}

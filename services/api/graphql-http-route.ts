import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { RequestFacts } from '../core/auth/principal.js';
import type { GraphQLContext } from './graphql-context.js';
import type { HttpRoute } from '../core/http/route-server.js';

export interface HttpLimits {
  /** Largest request body: an import of a large .env file fits, a flood does not. */
  maxBodyBytes: number;
  /** Largest GraphQL document (the `query` text), checked before parsing. */
  maxDocumentBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxDocumentBytes: 32 * 1024,
};

/** What is known of a finished request, for logs and metrics. */
export interface GraphQLResponseInfo {
  requestId: string;
  status: number;
  operation: string;
  durationMs: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request id: the caller's `x-request-id` when well-formed, else a new one. */
export function requestFactsOf(req: IncomingMessage): RequestFacts {
  const header = req.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  return {
    requestId: given && REQUEST_ID.test(given) ? given : randomUUID(),
    sourceAddress: (req.socket.remoteAddress ?? '').slice(0, 64),
  };
}

/**
 * Serves Apollo on Node's own HTTP server (Apollo's integration API), with a body
 * limit and a document-size limit enforced before Apollo parses anything.
 */
export function createGraphQLHttpRoute({
  server,
  buildContext,
  limits = DEFAULT_HTTP_LIMITS,
  onResponse = () => {},
}: {
  server: ApolloServer<GraphQLContext>;
  buildContext: (authorization: string | undefined, facts: RequestFacts) => GraphQLContext;
  limits?: HttpLimits;
  onResponse?: (info: GraphQLResponseInfo) => void;
}): HttpRoute {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const facts = requestFactsOf(req);
    res.setHeader('x-request-id', facts.requestId);
    const fail = (status: number, code: string, message: string) => {
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
      onResponse({
        requestId: facts.requestId,
        status,
        operation: 'rejected',
        durationMs: performance.now() - started,
      });
    };

    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, limits.maxBodyBytes);
      if (raw === 'too-large')
        return fail(413, 'BAD_REQUEST', `The request body exceeds ${limits.maxBodyBytes} bytes.`);
      const type = req.headers['content-type'] ?? '';
      if (type.includes('application/json')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return fail(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
        }
      } else {
        body = raw.toString('utf8');
      }
    }
    const search = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : '';
    const documentText =
      body && typeof body === 'object' && !Array.isArray(body)
        ? (body as { query?: unknown }).query
        : new URLSearchParams(search).get('query');
    if (typeof documentText === 'string' && Buffer.byteLength(documentText) > limits.maxDocumentBytes) {
      return fail(413, 'BAD_REQUEST', `The GraphQL document exceeds ${limits.maxDocumentBytes} bytes.`);
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search, body },
      context: async () => buildContext(req.headers.authorization, facts),
    });
    const status = response.status ?? 200;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = status;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
    const operationName =
      body && typeof body === 'object' ? (body as { operationName?: unknown }).operationName : undefined;
    onResponse({
      requestId: facts.requestId,
      status,
      operation: typeof operationName === 'string' ? operationName.slice(0, 64) : 'anonymous',
      durationMs: performance.now() - started,
    });
  };
}

/** Reads a body up to `max` bytes; beyond that it stops reading and says so. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        done = true;
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

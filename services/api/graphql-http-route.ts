import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { RequestFacts } from '../core/auth/principal.js';
import type { Logger } from '../core/logging/logger.js';
import { acceptRequestId } from '../core/logging/request-id.js';
import type { ObservedOperation } from './operation-observer.js';
import type { GraphQLContext } from './graphql-context.js';
import { decodeUtf8Strictly } from './hardening/strict-utf8.js';
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
  /** `<type> <root fields>` of the executed operation, or why there was none (`invalid`, `rejected`, `failed`). */
  operation: string;
  /** `ok`, or the code of the first error (an HTTP refusal's code, or `HTTP_<status>`). */
  outcome: string;
  durationMs: number;
}

/** The request id (the caller's `x-request-id` when safe, else a new one) and the peer address. */
export function requestFactsOf(req: IncomingMessage): RequestFacts {
  return {
    requestId: acceptRequestId(req.headers['x-request-id']),
    sourceAddress: (req.socket.remoteAddress ?? '').slice(0, 64),
  };
}

/**
 * Serves Apollo on Node's own HTTP server (Apollo's integration API), with a body
 * limit and a document-size limit enforced before Apollo parses anything. Every line
 * logged while serving a request goes through a child logger carrying its request id,
 * handed to the resolvers in the GraphQL context; the id is echoed in `x-request-id`.
 */
export function createGraphQLHttpRoute({
  server,
  buildContext,
  logger,
  limits = DEFAULT_HTTP_LIMITS,
  onResponse = () => {},
}: {
  server: ApolloServer<GraphQLContext>;
  buildContext: (
    authorization: string | undefined,
    facts: RequestFacts,
    log: Logger,
    observed: ObservedOperation,
  ) => GraphQLContext;
  logger: Logger;
  limits?: HttpLimits;
  onResponse?: (info: GraphQLResponseInfo) => void;
}): HttpRoute {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const facts = requestFactsOf(req);
    const log = logger.child({ requestId: facts.requestId });
    res.setHeader('x-request-id', facts.requestId);
    log.debug({ method: req.method }, 'graphql request started');
    let finished = false;
    const finish = (status: number, operation: string, outcome: string) => {
      if (finished) return;
      finished = true;
      const durationMs = performance.now() - started;
      const info = { requestId: facts.requestId, status, operation, outcome, durationMs };
      // Never the variables (secret values under caller-chosen names), nor the caller's operationName.
      log.info({ operation, outcome, status, durationMs: Math.round(durationMs) }, 'graphql request');
      onResponse(info);
    };
    try {
      await serve(req, res, facts, log, finish);
    } catch (error) {
      // Handled here rather than by the route server so that the line carries the request id.
      log.error({ err: error }, 'graphql request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal server error"}');
      finish(500, 'failed', 'INTERNAL_SERVER_ERROR');
    }
  };

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    facts: RequestFacts,
    log: Logger,
    finish: (status: number, operation: string, outcome: string) => void,
  ): Promise<void> {
    const fail = (status: number, code: string, message: string) => {
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
      finish(status, 'rejected', code);
    };

    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, limits.maxBodyBytes);
      if (raw === 'too-large')
        return fail(413, 'BAD_REQUEST', `The request body exceeds ${limits.maxBodyBytes} bytes.`);
      const text = decodeUtf8Strictly(raw);
      if (text === undefined) return fail(400, 'BAD_REQUEST', 'The request body is not valid UTF-8.');
      const type = req.headers['content-type'] ?? '';
      if (type.includes('application/json')) {
        try {
          body = JSON.parse(text);
        } catch {
          return fail(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
        }
      } else {
        body = text;
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
    const observed: ObservedOperation = {};
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search, body },
      context: async () => buildContext(req.headers.authorization, facts, log, observed),
    });
    // A refusal for the caller's rate is an HTTP answer too, so clients and proxies back off.
    const status = observed.retryAfterSeconds === undefined ? (response.status ?? 200) : 429;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    if (observed.retryAfterSeconds !== undefined)
      res.setHeader('retry-after', String(observed.retryAfterSeconds));
    res.statusCode = status;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
    finish(status, observed.operation ?? 'invalid', observed.outcome ?? `HTTP_${status}`);
  }
}

/**
 * Reads a body up to `max` bytes. A larger one is read to its end and dropped (nothing
 * past `max` is kept), and refused only then: answered while the client is still
 * sending, the connection can be reset under the client before it reads the answer.
 * The server's request timeout bounds how long a client can keep sending.
 */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > max) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

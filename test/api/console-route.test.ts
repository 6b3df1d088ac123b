import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIR, createConsoleRoutes } from '../../services/api/console-route.js';
import { createRouteServer, type RouteServer } from '../../services/core/http/route-server.js';
import { captureLogger } from '../support/capture-logger.js';
import { startApi, type ApiHarness } from './api-harness.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with exactly this path (no client-side normalisation of `..` or `%2e`). */
function raw(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method: options.method ?? 'GET',
      headers: options.headers,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4_000))});`;

describe('the console route over a build directory', () => {
  let dir: string;
  let server: RouteServer;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strongroom-console-build-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, '.build-stamp'), 'hash\n');
    writeFileSync(join(dir, '..', `${dir.split('/').pop()}-outside.txt`), 'outside');
    server = createRouteServer({ routes: createConsoleRoutes(dir), logger: captureLogger('t').logger });
    port = await server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-outside.txt`, { force: true });
  });

  it('serves the page at / and /index.html with a strict CSP and the other security headers', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await raw(port, path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      const csp = String(res.headers['content-security-policy']);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "require-trusted-types-for 'script'",
      ])
        expect(csp).toContain(directive);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|data:|\*/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      // A new build must show at once: the page is revalidated every time.
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('lets browsers keep hashed assets for a year, and gzips them for those that accept it', async () => {
    const plain = await raw(port, '/assets/index-abc123.js');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    const zipped = await raw(port, '/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 10);
    expect(gunzipSync(zipped.body).toString()).toBe(SCRIPT);
    expect(zipped.headers['content-security-policy']).toBeDefined();
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await raw(port, '/');
    const again = await raw(port, '/', { headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves only the files of the build: no dot files, no path out of it, no other method', async () => {
    for (const path of [
      '/.build-stamp',
      `/../${dir.split('/').pop()}-outside.txt`,
      '/assets/../index.html',
      '/assets/%2e%2e/index.html',
      '/assets/',
      '/assets/missing-123.js',
    ]) {
      const res = await raw(port, path);
      expect(res.status, path).toBe(404);
    }
    const post = await raw(port, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const head = await raw(port, '/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('offers no route at all when there is no build', () => {
    expect(createConsoleRoutes(join(dir, 'no-such-build'))).toEqual({});
  });
});

describe('the real console build, served by the API', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi('sqlite');
  });
  afterAll(() => api?.close());

  it('is at / beside /graphql, which keeps CSRF prevention on', async () => {
    const page = await raw(api.port, '/');
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<div id="root"></div>');
    // A browser form post (text/plain, no preflight) is refused by Apollo's CSRF prevention.
    const token = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ secrets { totalCount } }' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF|preflight/i);
  });

  it('holds no inline script or style, and loads only its own assets', () => {
    const html = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/assets\/[\w.-]+\.js"/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son\w+=|javascript:/i);
    const assets = readdirSync(join(CONSOLE_DIR, 'assets'));
    for (const [, href] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      if (href!.startsWith('/assets/')) expect(assets).toContain(href!.slice('/assets/'.length));
      else expect(href).toBe('/favicon.svg');
    }
  });
});

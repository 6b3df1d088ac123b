import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { HttpRoute } from '../core/http/route-server.js';

/** dist/console beside the sources (tsx), or beside the compiled services (dist/services/api → dist/console). */
export const CONSOLE_DIR =
  [new URL('../../dist/console/', import.meta.url), new URL('../../console/', import.meta.url)]
    .map((url) => fileURLToPath(url))
    .find((dir) => existsSync(join(dir, 'index.html'))) ??
  fileURLToPath(new URL('../../dist/console/', import.meta.url));

/** Whether a console build is there to serve. */
export const isConsoleBuilt = (dir: string = CONSOLE_DIR): boolean => existsSync(join(dir, 'index.html'));

/**
 * The console's Content-Security-Policy: its own scripts, styles and images only, no
 * inline code of either kind, no eval, no plugins, no framing, no form posting
 * elsewhere, requests to this origin only, and Trusted Types so no string can become
 * script. The page has no inline script or style to allow.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** Headers on every console response. */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Vite names built assets by content hash: such a file never changes, so it may be cached for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html (and unhashed files) are revalidated every time, so a new build shows at once. */
const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

interface StaticFile {
  body: Buffer;
  gzipped?: Buffer;
  headers: Record<string, string>;
  etag: string;
}

/** Every file of the build (dot files left out), as URL path → bytes, read once. */
function readBuild(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (!entry.isFile() || !statSync(path).isFile()) continue;
      const urlPath = `/${relative(dir, path).split(sep).join('/')}`;
      const body = readFileSync(path);
      const ext = extname(path).toLowerCase();
      const gzipped = COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined;
      files.set(urlPath, {
        body,
        gzipped: gzipped && gzipped.length < body.length ? gzipped : undefined,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        headers: {
          'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
          'cache-control': urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
        },
      });
    }
  };
  walk(dir);
  return files;
}

function serve(file: StaticFile, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res
      .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
      .end('Method Not Allowed');
    return;
  }
  const headers: Record<string, string> = { ...CONSOLE_SECURITY_HEADERS, ...file.headers, etag: file.etag };
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  let body = file.body;
  if (file.gzipped) {
    headers.vary = 'Accept-Encoding';
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      body = file.gzipped;
      headers['content-encoding'] = 'gzip';
    }
  }
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The admin console's routes (SPEC §12): `/` and `/index.html` answer with the page,
 * every other file of the build with itself. The set of paths is fixed when the
 * server starts — one exact route per built file — so no request path ever reaches
 * the file system. No build (a production image without it, a checkout before `npm
 * start`): no routes, and `/` stays a 404.
 */
export function createConsoleRoutes(dir: string = CONSOLE_DIR): Record<string, HttpRoute> {
  if (!isConsoleBuilt(dir)) return {};
  const routes: Record<string, HttpRoute> = {};
  for (const [path, file] of readBuild(dir)) routes[path] = (req, res) => serve(file, req, res);
  routes['/'] = routes['/index.html']!;
  return routes;
}

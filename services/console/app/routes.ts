/** The console's pages, addressed by the URL fragment so the API serves one document at `/`. */
export type Route =
  { page: 'secrets' } | { page: 'details'; secretId: string } | { page: 'references' } | { page: 'audit' };

/** `#/`, `#/secret/<id>`, `#/references`, `#/audit`; anything else is the secrets page. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const details = /^\/secret\/([^/]+)$/.exec(path);
  if (details?.[1]) {
    try {
      return { page: 'details', secretId: decodeURIComponent(details[1]) };
    } catch {
      return { page: 'secrets' };
    }
  }
  if (path === '/references') return { page: 'references' };
  if (path === '/audit') return { page: 'audit' };
  return { page: 'secrets' };
}

/**
 * Where the console keeps its token: sessionStorage (this tab only, gone when it
 * closes), never localStorage, a cookie or a URL. The token arrives once in the
 * address bar's fragment (`/#token=…`, which browsers never send to a server) and is
 * removed from it at once, so it is not left in history, bookmarks or screenshots.
 */
const STORAGE_KEY = 'strongroom.console.token';

/** The token from `#token=…` if there is one (then removed from the address bar), else the stored one. */
export function takeToken(location: Location, history: History, storage: Storage): string | undefined {
  const fragment = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const params = new URLSearchParams(fragment);
  const fromLink = params.get('token');
  if (fromLink !== null) {
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    if (fromLink) {
      storage.setItem(STORAGE_KEY, fromLink);
      return fromLink;
    }
  }
  return storage.getItem(STORAGE_KEY) ?? undefined;
}

/** Forgets the token (sign out, or once the API has refused it). */
export function forgetToken(storage: Storage): void {
  storage.removeItem(STORAGE_KEY);
}

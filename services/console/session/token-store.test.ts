import { describe, expect, it } from 'vitest';
import { isExpired, readTokenClaims } from './token-claims';
import { forgetToken, takeToken } from './token-store';

/** Stand-ins for the browser's objects (unit test of pure logic; the browser tests use the real ones). */
function browserLike(hash: string) {
  const store = new Map<string, string>();
  const location = { hash, pathname: '/', search: '' } as Location;
  const replaced: string[] = [];
  const history = {
    replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
  } as unknown as History;
  const storage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  } as Storage;
  return { location, history, storage, store, replaced };
}

const base64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims: unknown) => `${base64url({ alg: 'ES256' })}.${base64url(claims)}.signature`;

describe('the console token', () => {
  it('is taken from #token= once, kept in sessionStorage, and removed from the address bar', () => {
    const b = browserLike('#token=abc.def.ghi');
    expect(takeToken(b.location, b.history, b.storage)).toBe('abc.def.ghi');
    expect(b.replaced).toEqual(['/']);
    expect([...b.store.values()]).toEqual(['abc.def.ghi']);
    // Later loads of the tab (no fragment) find it in sessionStorage; sign-out forgets it.
    const again = { ...b, location: { ...b.location, hash: '' } as Location };
    expect(takeToken(again.location, again.history, again.storage)).toBe('abc.def.ghi');
    forgetToken(b.storage);
    expect(takeToken(again.location, again.history, again.storage)).toBeUndefined();
  });

  it('leaves the address alone when there is no token in it', () => {
    const b = browserLike('#/audit');
    expect(takeToken(b.location, b.history, b.storage)).toBeUndefined();
    expect(b.replaced).toEqual([]);
  });

  it('reads the claims the console needs, and nothing from what is not a JWT', () => {
    const claims = readTokenClaims(
      jwt({ sub: 'bob', wid: 'ws1', role: 'member', scope: 'audit:read x', exp: 10 }),
    );
    expect(claims).toMatchObject({ subject: 'bob', workspaceId: 'ws1', role: 'member', expiresAt: 10 });
    expect([...claims!.scopes]).toEqual(['audit:read', 'x']);
    expect(isExpired(claims!, 10_001)).toBe(true);
    expect(isExpired(claims!, 9_999)).toBe(false);
    expect(readTokenClaims(jwt({ sub: 'svc', wid: 'ws1', role: 'root' }))?.role).toBeUndefined();
    for (const bad of ['', 'abc', 'a.b', 'a.!!!.c', jwt({ wid: 'ws1' }), jwt([1, 2])])
      expect(readTokenClaims(bad), bad).toBeUndefined();
  });
});

import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { FirstPages } from '../secrets/first-pages';
import { forgetToken, takeToken } from '../session/token-store';
import { App } from './app';
import { SignedOut } from './signed-out';

const take = () => takeToken(window.location, window.history, window.sessionStorage);

/** Holds the session: the token taken from the sign-in link (or this tab's storage) until sign-out. */
function Root({ initial }: { initial: { token?: string; firstPages?: FirstPages } }) {
  const [token, setToken] = useState(initial.token);
  const [ended, setEnded] = useState<'signed-out' | 'expired'>();

  useEffect(() => {
    // A new sign-in link opened in this tab replaces the session.
    const follow = () => {
      if (/[#&]token=/.test(window.location.hash)) setToken(take());
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const signOut = useCallback((expired: boolean) => {
    forgetToken(window.sessionStorage);
    setToken(undefined);
    setEnded(expired ? 'expired' : 'signed-out');
  }, []);

  if (!token) return <SignedOut reason={ended ?? 'none'} />;
  return (
    <App
      token={token}
      onSignOut={signOut}
      firstPages={token === initial.token ? initial.firstPages : undefined}
    />
  );
}

/** Renders the console into `element`, with the session the bootstrap found. */
export function mountConsole(
  element: HTMLElement,
  initial: { token?: string; firstPages?: FirstPages },
): void {
  createRoot(element).render(
    <StrictMode>
      <Root initial={initial} />
    </StrictMode>,
  );
}

import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { SignedOut } from './app/signed-out';
import { forgetToken, takeToken } from './session/token-store';
import './app/styles.css';

const take = () => takeToken(window.location, window.history, window.sessionStorage);

/** Holds the session: the token taken from the sign-in link (or this tab's storage) until sign-out. */
function Root() {
  const [token, setToken] = useState(take);
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
  return <App token={token} onSignOut={signOut} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

import { parseRoute } from './app/routes';
import { createGraphQLClient } from './graphql/graphql-client';
import { preloadFirstPages } from './secrets/first-pages';
import { readTokenClaims, isExpired } from './session/token-claims';
import { takeToken } from './session/token-store';
import './app/styles.css';

/**
 * The console's first script: small, and free of React. It takes the token from the
 * sign-in link, asks the API for the secrets page's first rows at once, and only then
 * loads the rest of the console, so fetching those rows and loading React overlap.
 */
const token = takeToken(window.location, window.history, window.sessionStorage);
const claims = token ? readTokenClaims(token) : undefined;
const firstPages =
  token && claims?.role && !isExpired(claims) && parseRoute(window.location.hash).page === 'secrets'
    ? preloadFirstPages(createGraphQLClient({ token }))
    : undefined;

void import('./app/root').then(({ mountConsole }) =>
  mountConsole(document.getElementById('root')!, { token, firstPages }),
);

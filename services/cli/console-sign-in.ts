import { loadOrCreateDevJwtKeys, signDevToken } from '../core/auth/dev-jwt-keys.js';
import type { Config } from '../core/config/config.js';

/** Who the development sign-in link signs in: the README's example admin, who may also read the audit log. */
export const DEV_CONSOLE_USER = { sub: 'alice', wid: 'ws1', role: 'admin', scope: 'audit:read' } as const;

/**
 * The development sign-in link `npm start` prints: the console's address with a dev
 * token in the fragment (`#token=`), which the browser never sends to the server and
 * the console removes from the address bar once read. Development only: production
 * tokens come from the platform's identity provider.
 */
export async function devConsoleSignInLink(
  config: Pick<Config, 'dataDir' | 'jwt'>,
  port: number,
  expiresIn = '12h',
): Promise<string> {
  const keys = await loadOrCreateDevJwtKeys(config.dataDir);
  const token = await signDevToken(keys, DEV_CONSOLE_USER, {
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    expiresIn,
  });
  return `http://localhost:${port}/#token=${token}`;
}

import {
  loadOrCreateDevJwtKeys,
  signDevToken,
  type TokenClaims,
} from '../../services/core/auth/dev-jwt-keys.js';

/** A token the development API of `dataDir` accepts (the key pair it keeps there; created if missing). */
export async function devToken(dataDir: string, claims: TokenClaims): Promise<string> {
  const keys = await loadOrCreateDevJwtKeys(dataDir);
  return signDevToken(keys, claims, { issuer: 'strongroom-dev', audience: 'strongroom' });
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';

/** The algorithm of the development key pair (and the only one the dev verifier accepts). */
export const DEV_JWT_ALGORITHM = 'ES256';

export interface DevJwtKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * Loads a development signing key pair from `<dataDir>/<folder>/`, generating it when
 * missing (private key mode 0600): `jwt` signs the API's dev tokens, `run-grant` the
 * dev orchestrator's run grants. Production never calls this: it trusts JWKS URLs.
 */
export async function loadOrCreateDevJwtKeys(
  dataDir: string,
  onCreated: (dir: string) => void = () => {},
  folder: 'jwt' | 'run-grant' = 'jwt',
): Promise<DevJwtKeys> {
  const dir = join(dataDir, folder);
  const privatePath = join(dir, 'dev-private.jwk.json');
  const publicPath = join(dir, 'dev-public.jwk.json');
  if (!existsSync(privatePath) || !existsSync(publicPath)) {
    const pair = await generateKeyPair(DEV_JWT_ALGORITHM, { extractable: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(privatePath, JSON.stringify(await exportJWK(pair.privateKey)), { mode: 0o600 });
    writeFileSync(publicPath, JSON.stringify(await exportJWK(pair.publicKey)), { mode: 0o644 });
    onCreated(dir);
  }
  const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as JWK;
  return {
    privateKey: (await importJWK(read(privatePath), DEV_JWT_ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(read(publicPath), DEV_JWT_ALGORITHM)) as CryptoKey,
  };
}

/** Claims of a Strongroom token (SPEC §4). */
export interface TokenClaims {
  sub: string;
  wid: string;
  role?: string;
  scope?: string;
}

/** Signs a development token the dev-mode API accepts. */
export function signDevToken(
  keys: Pick<DevJwtKeys, 'privateKey'>,
  claims: TokenClaims,
  options: { issuer: string; audience: string; expiresIn?: string },
): Promise<string> {
  const payload: Record<string, string> = { wid: claims.wid };
  if (claims.role) payload.role = claims.role;
  if (claims.scope) payload.scope = claims.scope;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: DEV_JWT_ALGORITHM, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(keys.privateKey);
}

/** What a run grant says about its run (SPEC §6.1), in the grant's own claim names. */
export interface RunGrantClaims {
  wid: string;
  wfid: string;
  run: string;
  trigger: string;
  triggered_by?: string;
  workflow_owner?: string;
  /** The runner identity the grant is issued to (a URI SAN, or cn:<CN>). */
  runner: string;
  /** The only secret names the run may resolve; absent means any. */
  names?: string[];
}

/**
 * Signs a run grant as the development orchestrator does (`strongroom token run`): the
 * dev key pair in `<dataDir>/run-grant/`, audience strongroom-resolver, a fresh `jti`.
 * A real orchestrator signs the same claims with its own key (docs/resolver.md).
 */
export function signDevRunGrant(
  keys: Pick<DevJwtKeys, 'privateKey'>,
  claims: RunGrantClaims,
  options: { issuer: string; audience: string; expiresIn?: string | number; jti?: string },
): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: DEV_JWT_ALGORITHM, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setJti(options.jti ?? crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '15m')
    .sign(keys.privateKey);
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** A key the identity provider signs with, and the `kid` its JWKS publishes it under. */
export interface IssuerKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

async function issuerKey(kid: string, alg: IssuerKey['alg']): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    kid,
    alg,
    privateKey,
    publicKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

/**
 * A stand-in identity provider: a real HTTP server publishing an RS256 and an ES256
 * public key as a JWKS, as production's `STRONGROOM_JWKS_URL` points at.
 */
export async function startHostileJwks() {
  const rsa = await issuerKey('rsa-1', 'RS256');
  const ec = await issuerKey('ec-1', 'ES256');
  const body = JSON.stringify({ keys: [rsa.publicJwk, ec.publicJwk] });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    rsa,
    ec,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type HostileJwks = Awaited<ReturnType<typeof startHostileJwks>>;

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../services/core/config/config.js';
import { parseMasterKeys } from '../../services/core/crypto/keyring-file.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const productionEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'mysql://app:pw@db:3306/strongroom',
  STRONGROOM_MASTER_KEYS_FILE: '/run/secrets/keys.json',
  STRONGROOM_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
  STRONGROOM_JWT_ISSUER: 'https://idp.example/',
  STRONGROOM_JWT_AUDIENCE: 'strongroom',
  STRONGROOM_TLS_CERT: '/tls/server.crt',
  STRONGROOM_TLS_KEY: '/tls/server.key',
  STRONGROOM_RUNNER_CA: '/tls/runner-ca.crt',
  STRONGROOM_RUNNER_POLICY: '/etc/strongroom/runners.json',
  STRONGROOM_RUN_GRANT_JWKS_URL: 'https://orchestrator.example/.well-known/jwks.json',
  STRONGROOM_RUN_GRANT_ISSUER: 'https://orchestrator.example/',
};

describe('configuration', () => {
  it('runs with no configuration at all in development, on an SQLite file in ./.strongroom', () => {
    const config = loadConfig({}, '/srv');
    expect(config.mode).toBe('development');
    expect(config.dataDir).toBe('/srv/.strongroom');
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/.strongroom/strongroom.sqlite' });
    expect(config.masterKeys).toEqual({ kind: 'dev-file', path: '/srv/.strongroom/keyring.json' });
    expect(config.apiPort).toBe(4000);
    expect(config.resolverPort).toBe(50051);
    expect(config.maxValueBytes).toBe(65536);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig(productionEnv, '/srv');
    expect(config.mode).toBe('production');
    expect(config.database).toEqual({ kind: 'mysql', url: productionEnv.DATABASE_URL });
    expect(config.jwt).toEqual({
      jwksUrl: productionEnv.STRONGROOM_JWKS_URL,
      issuer: productionEnv.STRONGROOM_JWT_ISSUER,
      audience: 'strongroom',
      maxAgeSeconds: 24 * 3600,
      typ: undefined,
    });
    // Production requires run grants, takes runners by URI SAN only.
    expect(config.runGrants).toEqual({
      mode: 'required',
      jwksUrl: productionEnv.STRONGROOM_RUN_GRANT_JWKS_URL,
      issuer: productionEnv.STRONGROOM_RUN_GRANT_ISSUER,
    });
    expect(config.runnerIdentity).toBe('uri');
  });

  it('development takes calls without a grant at their word, and CN identities, unless told otherwise', () => {
    const dev = loadConfig({}, '/srv');
    expect(dev.runGrants).toEqual({
      mode: 'optional',
      jwksUrl: undefined,
      issuer: 'strongroom-dev-orchestrator',
    });
    expect(dev.runnerIdentity).toBe('uri-or-cn');
    const strict = loadConfig(
      { STRONGROOM_RUN_GRANTS: 'required', STRONGROOM_RUNNER_IDENTITY: 'uri' },
      '/srv',
    );
    expect([strict.runGrants.mode, strict.runnerIdentity]).toEqual(['required', 'uri']);
  });

  it('production refuses keys fetched over plain HTTP, for tokens and for run grants', () => {
    const problems = problemsOf({
      ...productionEnv,
      STRONGROOM_JWKS_URL: 'http://idp.example/jwks.json',
      STRONGROOM_RUN_GRANT_JWKS_URL: 'http://orchestrator.example/jwks.json',
    });
    expect(problems).toEqual([
      'STRONGROOM_JWKS_URL must be an https URL in production',
      'STRONGROOM_RUN_GRANT_JWKS_URL must be an https URL in production',
    ]);
  });

  it('production may make run grants optional, and then needs no orchestrator keys', () => {
    const { STRONGROOM_RUN_GRANT_JWKS_URL: _u, STRONGROOM_RUN_GRANT_ISSUER: _i, ...rest } = productionEnv;
    expect(loadConfig({ ...rest, STRONGROOM_RUN_GRANTS: 'optional' }, '/srv').runGrants.mode).toBe(
      'optional',
    );
  });

  it('reads the maximum token age as a duration, bounded', () => {
    expect(loadConfig({ STRONGROOM_JWT_MAX_AGE: '90m' }, '/srv').jwt.maxAgeSeconds).toBe(5400);
    expect(problemsOf({ STRONGROOM_JWT_MAX_AGE: 'forever' })[0]).toMatch(
      /STRONGROOM_JWT_MAX_AGE must be a duration/,
    );
    expect(problemsOf({ STRONGROOM_JWT_MAX_AGE: '90d' })[0]).toMatch(/from 1 minute to 30 days/);
  });

  it.each([
    ['STRONGROOM_API_PORT', 'eighty', /STRONGROOM_API_PORT must be a port number/],
    ['STRONGROOM_API_PORT', '70000', /STRONGROOM_API_PORT must be between 1 and 65535/],
    ['STRONGROOM_RESOLVER_PORT', '0', /STRONGROOM_RESOLVER_PORT must be between 1 and 65535/],
    ['STRONGROOM_RESOLVER_PORT', '1.5', /STRONGROOM_RESOLVER_PORT must be a whole number/],
    ['DATABASE_URL', 'postgres://x', /DATABASE_URL must be mysql:\/\/.* or sqlite:PATH/],
    ['STRONGROOM_JWKS_URL', 'ftp://keys', /STRONGROOM_JWKS_URL must be an http\(s\) URL/],
    ['NODE_ENV', 'staging', /NODE_ENV must be development, production or test/],
    ['STRONGROOM_LOG_LEVEL', 'loud', /STRONGROOM_LOG_LEVEL must be one of/],
    ['STRONGROOM_MAX_VALUE_BYTES', '-3', /STRONGROOM_MAX_VALUE_BYTES must be at least 1/],
    [
      'STRONGROOM_AUDIT_RETENTION_DAYS',
      'forever',
      /STRONGROOM_AUDIT_RETENTION_DAYS must be a number of days/,
    ],
    [
      'STRONGROOM_DB_STATEMENT_TIMEOUT_MS',
      'soon',
      /STRONGROOM_DB_STATEMENT_TIMEOUT_MS must be a number of milliseconds/,
    ],
    ['STRONGROOM_DB_STATEMENT_TIMEOUT_MS', '50', /STRONGROOM_DB_STATEMENT_TIMEOUT_MS must be at least 100/],
    [
      'STRONGROOM_DB_STATEMENT_TIMEOUT_MS',
      '900000',
      /STRONGROOM_DB_STATEMENT_TIMEOUT_MS must be at most 600000/,
    ],
  ])('names %s=%s in its own message', (name, value, message) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reports every bad variable at once, one line each', () => {
    const problems = problemsOf({
      STRONGROOM_API_PORT: 'x',
      STRONGROOM_RESOLVER_PORT: 'y',
      DATABASE_URL: 'oracle:',
    });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(
      /DATABASE_URL[\s\S]*STRONGROOM_API_PORT[\s\S]*STRONGROOM_RESOLVER_PORT/,
    );
  });

  it('production refuses every unsafe default, naming each missing variable', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of [
      'DATABASE_URL',
      'STRONGROOM_JWKS_URL',
      'STRONGROOM_JWT_ISSUER',
      'STRONGROOM_JWT_AUDIENCE',
      'STRONGROOM_TLS_CERT',
      'STRONGROOM_TLS_KEY',
      'STRONGROOM_RUNNER_CA',
      'STRONGROOM_RUNNER_POLICY',
      'STRONGROOM_MASTER_KEYS',
      'STRONGROOM_RUN_GRANT_JWKS_URL',
      'STRONGROOM_RUN_GRANT_ISSUER',
    ]) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
    }
  });

  it.each(Object.keys(productionEnv).filter((k) => k !== 'NODE_ENV' && k !== 'STRONGROOM_MASTER_KEYS_FILE'))(
    'production without %s does not start',
    (name) => {
      const env: Record<string, string> = { ...productionEnv };
      delete env[name];
      const problems = problemsOf(env);
      expect(problems.length).toBeGreaterThanOrEqual(1);
      expect(problems.some((p) => p.includes(name))).toBe(true);
    },
  );

  it('refuses both master key sources at once, and half a TLS pair', () => {
    expect(problemsOf({ STRONGROOM_MASTER_KEYS: 'a:b', STRONGROOM_MASTER_KEYS_FILE: '/k' })[0]).toMatch(
      /both set/,
    );
    expect(problemsOf({ STRONGROOM_TLS_CERT: '/c' })[0]).toMatch(/must be set together/);
  });
});

describe('master key text', () => {
  const key = () => randomBytes(32).toString('base64');

  it('reads id:key pairs with the last one active, and the JSON keyring form', () => {
    const [a, b] = [key(), key()];
    expect(parseMasterKeys(`k1:${a},k2:${b}`).activeKeyId).toBe('k2');
    const json = parseMasterKeys(JSON.stringify({ activeKeyId: 'k1', keys: { k1: a, k2: b } }));
    expect(json.activeKeyId).toBe('k1');
    expect(json.keys.map((k) => k.id)).toEqual(['k1', 'k2']);
  });

  it.each([
    ['k1:' + Buffer.alloc(16).toString('base64'), /must decode to 32 bytes/],
    ['k1:not base64!', /must be base64/],
    ['nokey', /<id>:<base64 key>/],
    [`k1:${Buffer.alloc(32).toString('base64')},k1:${Buffer.alloc(32).toString('base64')}`, /appears twice/],
    ['{"activeKeyId":"x","keys":{}}', /holds no key/],
    ['{not json', /not valid JSON/],
  ])('rejects %s with a clear reason', (text, reason) => {
    expect(() => parseMasterKeys(text)).toThrow(reason);
  });
});

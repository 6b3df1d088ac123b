import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_FAILED_AUTHENTICATION_LIMITS,
  type FailedAuthenticationLimits,
} from '../auth/failed-authentications.js';
import { keyringEnvironmentShape, parseKeyringConfig, type KeyringConfig } from './keyring-config.js';

import type { DatabaseConfig } from '../../storage/database-config.js';
import { parseDatabaseHosts } from '../../storage/database-hosts.js';
import { DEFAULT_DB_STATEMENT_TIMEOUT_MS } from '../../storage/statement-timeout.js';

export type { DatabaseConfig };

/** Where the master keys come from. */
export type MasterKeySource =
  | { kind: 'env'; text: string }
  | { kind: 'file'; path: string }
  /** Development: a keyring file in the data dir, generated when missing. */
  | { kind: 'dev-file'; path: string }
  /** Production with a provider other than `file` and no previous file keyring. */
  | { kind: 'none' };

/** Validated configuration: built once by `loadConfig`, then passed down as a plain object. */
export interface Config {
  mode: 'development' | 'production';
  dataDir: string;
  database: DatabaseConfig;
  apiPort: number;
  resolverPort: number;
  resolverMetricsPort: number;
  /**
   * The file keyring: the active one with `keyring.provider` file, otherwise read for
   * unwrapping only (data keys not yet moved by `keys rewrap`).
   */
  masterKeys: MasterKeySource;
  keyring: KeyringConfig;
  jwt: {
    jwksUrl?: string;
    issuer: string;
    audience: string;
    /** Tokens issued (`iat`) longer ago than this are refused, whatever their `exp`. */
    maxAgeSeconds: number;
    /** When set, tokens must carry exactly this `typ` (for example `at+jwt`). */
    typ?: string;
  };
  /** Run grants (SPEC §6.1): who signs them, and whether a resolve needs one. */
  runGrants: {
    mode: 'required' | 'optional';
    /** Production: the orchestrator's JWKS; development trusts a dev key pair in the data dir. */
    jwksUrl?: string;
    issuer: string;
  };
  tls: { certPath?: string; keyPath?: string; runnerCaPath?: string };
  runnerPolicyPath?: string;
  /** Which certificate names identify a runner: a URI SAN only, or a URI SAN else the subject CN. */
  runnerIdentity: 'uri' | 'uri-or-cn';
  /** A PEM certificate revocation list for runner certificates, reloaded while serving. */
  runnerCrlPath?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  maxValueBytes: number;
  /** Versions that keep their sealed value (SPEC §5.1); older non-current ones are destroyed. */
  versionsKept: number;
  /** Change events and their delivery (SPEC §5.2). */
  webhooks: {
    /** Whether changes publish events at all (on by default; off only to measure or in an emergency). */
    events: boolean;
    /** Host names or addresses a webhook may reach even when private (STRONGROOM_WEBHOOK_ALLOWED_HOSTS). */
    allowedHosts: string[];
    /** Loopback destinations allowed: development's default (STRONGROOM_WEBHOOK_ALLOW_LOOPBACK). */
    allowLoopback: boolean;
    /** How long an idle delivery worker waits before looking again. */
    pollMs: number;
  };
  /** Caps (SPEC §5.1): entries in one import, and personal secrets one user may hold in a workspace. */
  caps: { importEntries: number; personalSecretsPerUser: number };
  auditRetentionDays?: number;
  /** Audit checkpoints (SPEC §8.1): how often each process signs one, and where copies go. */
  auditCheckpoints: {
    intervalSeconds: number;
    dir?: string;
    /** Events may stay outside every checkpoint this long before `verifyAuditLog` calls it stale. */
    maxAgeSeconds: number;
  };
  /** How long a statement the resolve path runs straight on the MySQL pool may take (see runOnPool). */
  dbStatementTimeoutMs: number;
  /** Failed authentications at the API: per-source limit and aggregation interval (SPEC §8.1). */
  authFailureLimits: FailedAuthenticationLimits;
}

/** The issuer of the development orchestrator's run grants (`strongroom token run`). */
export const DEV_RUN_GRANT_ISSUER = 'strongroom-dev-orchestrator';

/** Every problem found in the environment, one line per variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

/** A duration such as 90s, 30m, 24h or 7d, in seconds. */
const duration = z
  .string()
  .trim()
  .regex(/^\d+[smhd]$/, 'must be a duration such as 90s, 30m, 24h or 7d')
  .transform(
    (v) => Number(v.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: 86_400 }[v.at(-1) as 's' | 'm' | 'h' | 'd'],
  )
  .refine((seconds) => seconds >= 60 && seconds <= 30 * 86_400, 'must be from 1 minute to 30 days');

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .refine((v) => v === undefined || /^https?:\/\/.+/.test(v), { message: `must be an http(s) URL${what}` });

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const environmentSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'must be development, production or test' })
    .optional(),
  STRONGROOM_DATA_DIR: optionalText,
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^(mysql|mariadb):\/\/.+|^sqlite:.+/.test(v), {
    message: 'must be mysql://user:password@host:port[,host:port…]/database or sqlite:PATH',
  }),
  STRONGROOM_API_PORT: port.default(4000),
  STRONGROOM_RESOLVER_PORT: port.default(50051),
  STRONGROOM_RESOLVER_METRICS_PORT: port.default(9464),
  STRONGROOM_MASTER_KEYS: optionalText,
  STRONGROOM_MASTER_KEYS_FILE: optionalText,
  STRONGROOM_JWKS_URL: httpUrl(''),
  STRONGROOM_JWT_ISSUER: optionalText,
  STRONGROOM_JWT_AUDIENCE: optionalText,
  STRONGROOM_JWT_MAX_AGE: duration.optional(),
  STRONGROOM_JWT_TYP: optionalText,
  STRONGROOM_RUN_GRANTS: z
    .enum(['required', 'optional'], { error: 'must be required or optional' })
    .optional(),
  STRONGROOM_RUN_GRANT_JWKS_URL: httpUrl(''),
  STRONGROOM_RUN_GRANT_ISSUER: optionalText,
  STRONGROOM_RUNNER_IDENTITY: z.enum(['uri', 'uri-or-cn'], { error: 'must be uri or uri-or-cn' }).optional(),
  STRONGROOM_RUNNER_CRL: optionalText,
  STRONGROOM_TLS_CERT: optionalText,
  STRONGROOM_TLS_KEY: optionalText,
  STRONGROOM_RUNNER_CA: optionalText,
  STRONGROOM_RUNNER_POLICY: optionalText,
  STRONGROOM_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional(),
  STRONGROOM_MAX_VALUE_BYTES: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1024 * 1024, 'must be at most 1 MiB')
    .default(64 * 1024),
  STRONGROOM_VERSIONS_KEPT: z.coerce
    .number({ error: 'must be a number of versions' })
    .int('must be a whole number')
    .min(1, 'must be at least 1 (the current version)')
    .max(1000, 'must be at most 1000')
    .default(10),
  STRONGROOM_CHANGE_EVENTS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  STRONGROOM_WEBHOOK_ALLOWED_HOSTS: z.string().default(''),
  STRONGROOM_WEBHOOK_ALLOW_LOOPBACK: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  STRONGROOM_WEBHOOK_POLL_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number')
    .min(10, 'must be at least 10')
    .max(60_000, 'must be at most 60000')
    .default(500),
  STRONGROOM_MAX_IMPORT_ENTRIES: z.coerce
    .number({ error: 'must be a number of entries' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(10_000),
  STRONGROOM_MAX_PERSONAL_SECRETS: z.coerce
    .number({ error: 'must be a number of secrets' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(1_000),
  STRONGROOM_AUDIT_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number')
    .min(1, 'must be at least 1 day')
    .optional(),
  STRONGROOM_AUDIT_CHECKPOINT_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(3600, 'must be at most 3600 (one hour)')
    .default(60),
  STRONGROOM_AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  STRONGROOM_AUDIT_MAX_CHECKPOINT_AGE_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .optional(),
  STRONGROOM_AUTH_FAILURE_LIMIT: z.coerce
    .number({ error: 'must be a number of failures' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(DEFAULT_FAILED_AUTHENTICATION_LIMITS.limitPerSource),
  STRONGROOM_AUTH_FAILURE_INTERVAL_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(3600, 'must be at most 3600 (one hour)')
    .default(DEFAULT_FAILED_AUTHENTICATION_LIMITS.intervalSeconds),
  STRONGROOM_DB_STATEMENT_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number')
    .min(100, 'must be at least 100')
    .max(600_000, 'must be at most 600000 (10 minutes)')
    .default(DEFAULT_DB_STATEMENT_TIMEOUT_MS),
  ...keyringEnvironmentShape,
});

/**
 * Reads and validates the environment. Collects every problem before failing so
 * an operator fixes them in one go. Production refuses anything it would
 * otherwise have to generate or guess.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`),
    );
  }
  const e = parsed.data;
  const mode = e.NODE_ENV === 'production' ? 'production' : 'development';
  const dataDir = resolve(cwd, e.STRONGROOM_DATA_DIR ?? '.strongroom');
  const problems: string[] = [];

  if (e.STRONGROOM_MASTER_KEYS && e.STRONGROOM_MASTER_KEYS_FILE) {
    problems.push('STRONGROOM_MASTER_KEYS and STRONGROOM_MASTER_KEYS_FILE are both set; set only one');
  }
  if (Boolean(e.STRONGROOM_TLS_CERT) !== Boolean(e.STRONGROOM_TLS_KEY)) {
    problems.push('STRONGROOM_TLS_CERT and STRONGROOM_TLS_KEY must be set together');
  }
  if (mode === 'production') {
    const required: Array<[keyof typeof e, string]> = [
      ['DATABASE_URL', 'production needs an explicit database (mysql://…)'],
      ['STRONGROOM_JWKS_URL', 'production verifies tokens against a JWKS URL; none is set'],
      ['STRONGROOM_JWT_ISSUER', 'production pins the token issuer; none is set'],
      ['STRONGROOM_JWT_AUDIENCE', 'production pins the token audience; none is set'],
      ['STRONGROOM_TLS_CERT', 'production needs the resolver TLS certificate'],
      ['STRONGROOM_TLS_KEY', 'production needs the resolver TLS private key'],
      ['STRONGROOM_RUNNER_CA', 'production needs the runner CA that client certificates must chain to'],
      ['STRONGROOM_RUNNER_POLICY', 'production needs a runner policy mapping runners to workspaces'],
    ];
    for (const [name, why] of required) if (!e[name]) problems.push(`${name} is required: ${why}`);
    if (e.STRONGROOM_KEYRING === 'file' && !e.STRONGROOM_MASTER_KEYS && !e.STRONGROOM_MASTER_KEYS_FILE) {
      problems.push(
        'STRONGROOM_MASTER_KEYS or STRONGROOM_MASTER_KEYS_FILE is required: production never generates keys',
      );
    }
    // Keys fetched over plain HTTP could be swapped by anyone on the path.
    for (const name of ['STRONGROOM_JWKS_URL', 'STRONGROOM_RUN_GRANT_JWKS_URL'] as const) {
      if (e[name] && !e[name].startsWith('https://'))
        problems.push(`${name} must be an https URL in production`);
    }
    if ((e.STRONGROOM_RUN_GRANTS ?? 'required') === 'required') {
      if (!e.STRONGROOM_RUN_GRANT_JWKS_URL)
        problems.push(
          'STRONGROOM_RUN_GRANT_JWKS_URL is required: production verifies run grants (SPEC §6.1)',
        );
      if (!e.STRONGROOM_RUN_GRANT_ISSUER)
        problems.push('STRONGROOM_RUN_GRANT_ISSUER is required: production pins the run grant issuer');
    }
  }
  const inDataDir = (path: string): string => (isAbsolute(path) ? path : resolve(cwd, path));
  const keyring = parseKeyringConfig(e, mode, problems, inDataDir);
  if (problems.length > 0) throw new ConfigError(problems);

  const databaseUrl = e.DATABASE_URL;
  const database: DatabaseConfig =
    databaseUrl === undefined
      ? { kind: 'sqlite', path: join(dataDir, 'strongroom.sqlite') }
      : databaseUrl.startsWith('sqlite:')
        ? { kind: 'sqlite', path: inDataDir(databaseUrl.slice('sqlite:'.length)) }
        : { kind: 'mysql', ...parseDatabaseHosts(databaseUrl.replace(/^mariadb:/, 'mysql:')) };

  const masterKeys: MasterKeySource = e.STRONGROOM_MASTER_KEYS
    ? { kind: 'env', text: e.STRONGROOM_MASTER_KEYS }
    : e.STRONGROOM_MASTER_KEYS_FILE
      ? { kind: 'file', path: inDataDir(e.STRONGROOM_MASTER_KEYS_FILE) }
      : mode === 'production' && keyring.provider !== 'file'
        ? { kind: 'none' }
        : { kind: 'dev-file', path: join(dataDir, 'keyring.json') };

  return {
    mode,
    dataDir,
    database,
    apiPort: e.STRONGROOM_API_PORT,
    resolverPort: e.STRONGROOM_RESOLVER_PORT,
    resolverMetricsPort: e.STRONGROOM_RESOLVER_METRICS_PORT,
    masterKeys,
    keyring,
    jwt: {
      jwksUrl: e.STRONGROOM_JWKS_URL,
      issuer: e.STRONGROOM_JWT_ISSUER ?? 'strongroom-dev',
      audience: e.STRONGROOM_JWT_AUDIENCE ?? 'strongroom',
      maxAgeSeconds: e.STRONGROOM_JWT_MAX_AGE ?? 24 * 3600,
      typ: e.STRONGROOM_JWT_TYP,
    },
    runGrants: {
      mode: e.STRONGROOM_RUN_GRANTS ?? (mode === 'production' ? 'required' : 'optional'),
      jwksUrl: e.STRONGROOM_RUN_GRANT_JWKS_URL,
      issuer: e.STRONGROOM_RUN_GRANT_ISSUER ?? DEV_RUN_GRANT_ISSUER,
    },
    tls: {
      certPath: e.STRONGROOM_TLS_CERT && inDataDir(e.STRONGROOM_TLS_CERT),
      keyPath: e.STRONGROOM_TLS_KEY && inDataDir(e.STRONGROOM_TLS_KEY),
      runnerCaPath: e.STRONGROOM_RUNNER_CA && inDataDir(e.STRONGROOM_RUNNER_CA),
    },
    runnerPolicyPath: e.STRONGROOM_RUNNER_POLICY && inDataDir(e.STRONGROOM_RUNNER_POLICY),
    runnerIdentity: e.STRONGROOM_RUNNER_IDENTITY ?? (mode === 'production' ? 'uri' : 'uri-or-cn'),
    runnerCrlPath: e.STRONGROOM_RUNNER_CRL && inDataDir(e.STRONGROOM_RUNNER_CRL),
    logLevel: e.STRONGROOM_LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    maxValueBytes: e.STRONGROOM_MAX_VALUE_BYTES,
    versionsKept: e.STRONGROOM_VERSIONS_KEPT,
    webhooks: {
      events: e.STRONGROOM_CHANGE_EVENTS === 'on',
      allowedHosts: e.STRONGROOM_WEBHOOK_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      allowLoopback:
        e.STRONGROOM_WEBHOOK_ALLOW_LOOPBACK !== undefined
          ? e.STRONGROOM_WEBHOOK_ALLOW_LOOPBACK === 'true'
          : mode === 'development',
      pollMs: e.STRONGROOM_WEBHOOK_POLL_MS,
    },
    caps: {
      importEntries: e.STRONGROOM_MAX_IMPORT_ENTRIES,
      personalSecretsPerUser: e.STRONGROOM_MAX_PERSONAL_SECRETS,
    },
    auditRetentionDays: e.STRONGROOM_AUDIT_RETENTION_DAYS,
    auditCheckpoints: {
      intervalSeconds: e.STRONGROOM_AUDIT_CHECKPOINT_SECONDS,
      dir: e.STRONGROOM_AUDIT_CHECKPOINT_DIR && inDataDir(e.STRONGROOM_AUDIT_CHECKPOINT_DIR),
      // Ten intervals (ten minutes by default), so a checkpoint or two failing is not yet stale.
      maxAgeSeconds:
        e.STRONGROOM_AUDIT_MAX_CHECKPOINT_AGE_SECONDS ??
        Math.max(600, 10 * e.STRONGROOM_AUDIT_CHECKPOINT_SECONDS),
    },
    dbStatementTimeoutMs: e.STRONGROOM_DB_STATEMENT_TIMEOUT_MS,
    authFailureLimits: {
      ...DEFAULT_FAILED_AUTHENTICATION_LIMITS,
      limitPerSource: e.STRONGROOM_AUTH_FAILURE_LIMIT,
      intervalSeconds: e.STRONGROOM_AUTH_FAILURE_INTERVAL_SECONDS,
    },
  };
}

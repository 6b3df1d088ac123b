import type { DataSource } from 'typeorm';
import type { Config } from '../core/config/config.js';
import { openKeyring } from '../core/config/open-keyring.js';
import { createEnvelopeCipher } from '../core/crypto/envelope-cipher.js';
import type { Keyring } from '../core/crypto/keyring.js';
import type { Logger } from '../core/logging/logger.js';
import { createMetrics, type Metrics } from '../core/metrics/metrics.js';
import { readPoolStats } from '../core/metrics/pool-stats.js';
import { openAuditLog, type AuditLog } from '../core/audit/audit-log.js';
import { createAuditStore } from '../storage/audit-store.js';
import { connectDataSource, createDataSource, runMigrations } from '../storage/data-source.js';
import { createSecretStore } from '../storage/secret-store.js';

/** The shared parts every Strongroom process builds from its config, in dependency order. */
export interface Runtime {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  keyring: Keyring;
  cipher: ReturnType<typeof createEnvelopeCipher>;
  secretStore: ReturnType<typeof createSecretStore>;
  auditStore: ReturnType<typeof createAuditStore>;
  auditLog: AuditLog;
  /** This process's metrics registry, shared by whatever servers it runs. */
  metrics: Metrics;
  close(): Promise<void>;
}

/**
 * Connects storage and loads keys. Development applies pending migrations at start;
 * production expects `strongroom migrate` to have run (a migration job).
 */
export async function openRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const keyring = await openKeyring(config, (path) =>
    logger.warn({ path }, 'development: generated a new master keyring'),
  );
  // A provider that does not answer yet is not fatal: readiness reports it until it does.
  await keyring
    .check()
    .catch((error: unknown) =>
      logger.error({ provider: keyring.provider, err: error }, 'the key provider does not answer'),
    );
  const dataSource = createDataSource(config.database);
  try {
    await connectDataSource(dataSource, config.database);
  } catch (error) {
    await keyring.close();
    throw error;
  }
  if (config.mode === 'development') {
    const ran = await runMigrations(dataSource);
    if (ran.length > 0) logger.info({ migrations: ran }, 'applied migrations');
  }
  const secretStore = createSecretStore({ dataSource });
  const auditStore = createAuditStore({ dataSource, statementTimeoutMs: config.dbStatementTimeoutMs });
  return {
    config,
    logger,
    dataSource,
    keyring,
    cipher: createEnvelopeCipher({ keyring }),
    secretStore,
    auditStore,
    auditLog: await openAuditLog({ auditStore }),
    metrics: createMetrics({ readPoolStats: () => readPoolStats(dataSource) }),
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await keyring.close();
    },
  };
}

import type { DataSource } from 'typeorm';
import type { Config } from '../core/config/config.js';
import { openKeyring } from '../core/config/open-keyring.js';
import { createEnvelopeCipher, type EnvelopeCipher } from '../core/crypto/envelope-cipher.js';
import type { Keyring } from '../core/crypto/keyring.js';
import type { Logger } from '../core/logging/logger.js';
import { createMetrics, type Metrics } from '../core/metrics/metrics.js';
import { openAuditLog, type AuditLog } from '../core/audit/audit-log.js';
import { createAuditStore, type AuditStore } from '../storage/audit-store.js';
import { connectDataSource, createDataSource, runMigrations } from '../storage/data-source.js';
import { readPoolStats } from '../storage/pool-stats.js';
import { createSecretStore, type SecretStore } from '../storage/secret-store.js';
import { createIntegrityStore, type IntegrityStore } from '../storage/integrity-store.js';
import { createIntegrityKeySource, type IntegrityKeySource } from '../core/integrity/integrity-keys.js';
import { createSecretStateTags, type SecretStateTags } from '../core/integrity/secret-state.js';
import { createSecretStateSealer, type SecretStateSealer } from '../core/integrity/secret-state-sealer.js';
import { STATE_TAG_MIGRATION, tagUntaggedSecrets } from '../core/integrity/secret-state-backfill.js';
import { createAuditCheckpointStore, type AuditCheckpointStore } from '../storage/audit-checkpoint-store.js';
import { createCheckpointWriter } from '../core/audit/checkpoint-writer.js';
import { createCheckpointSchedule, type CheckpointSchedule } from '../core/audit/checkpoint-schedule.js';

/** The shared parts every Strongroom process builds from its config, in dependency order. */
export interface Runtime {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  keyring: Keyring;
  cipher: EnvelopeCipher;
  secretStore: SecretStore;
  auditStore: AuditStore;
  auditLog: AuditLog;
  /** The keys of SPEC §8.1, derived from the integrity root the keyring unseals (on first use). */
  integrity: IntegrityKeySource;
  /** Tags secret states with `integrity.stateKey`, and the tagging every change runs. */
  stateTags: SecretStateTags;
  stateSealer: SecretStateSealer;
  integrityStore: IntegrityStore;
  checkpointStore: AuditCheckpointStore;
  /** Signs audit checkpoints: on demand, periodically once started, and at `close`. */
  checkpoints: CheckpointSchedule;
  /** This process's metrics registry, shared by whatever servers it runs. */
  metrics: Metrics;
  /** Signs the shutdown checkpoint, then closes what the runtime opened (the data source, when it opened it). */
  close(): Promise<void>;
}

/**
 * The runtime over parts that are already open: a connected (and migrated) data
 * source and a keyring. `openRuntime` uses it after opening them from the config;
 * tests use it over a throw-away database and a test keyring, so both build the
 * same stores, cipher and audit log the same way.
 */
export async function assembleRuntime({
  config,
  logger,
  dataSource,
  keyring,
  metrics = createMetrics({ readPoolStats: () => readPoolStats(dataSource) }),
  close = async () => {},
}: {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  keyring: Keyring;
  metrics?: Metrics;
  close?: () => Promise<void>;
}): Promise<Runtime> {
  const auditStore = createAuditStore({ dataSource, statementTimeoutMs: config.dbStatementTimeoutMs });
  const secretStore = createSecretStore({ dataSource });
  const integrityStore = createIntegrityStore({ dataSource });
  const integrity = createIntegrityKeySource({ keyring, integrityStore });
  const stateTags = createSecretStateTags(async () => (await integrity.keys()).stateKey);
  const auditLog = await openAuditLog({
    auditStore,
    onChainConflict: ({ chainId, foundSeq, newChainId }) => {
      metrics.auditChainConflictsTotal.inc();
      logger.error(
        { chainId, foundSeq, newChainId },
        'this process found its audit chain head moved by someone else: continuing on a new chain, never on that head. Run `strongroom audit verify`.',
      );
    },
  });
  const checkpointStore = createAuditCheckpointStore({ dataSource });
  const checkpoints = createCheckpointSchedule({
    writer: createCheckpointWriter({
      auditStore,
      checkpointStore,
      integrity,
      writerId: auditLog.chainId,
      checkpointDir: config.auditCheckpoints.dir,
      onCopyFailed: (error) =>
        logger.error(
          { err: error, dir: config.auditCheckpoints.dir },
          'could not append the checkpoint copy',
        ),
    }),
    intervalMs: config.auditCheckpoints.intervalSeconds * 1000,
    logger,
    metrics,
  });
  return {
    config,
    logger,
    dataSource,
    keyring,
    cipher: createEnvelopeCipher({ keyring }),
    secretStore,
    auditStore,
    auditLog,
    integrity,
    stateTags,
    stateSealer: createSecretStateSealer({ secretStore, tags: stateTags }),
    integrityStore,
    checkpointStore,
    checkpoints,
    metrics,
    async close() {
      await checkpoints.close();
      await close();
    },
  };
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
  let ran: string[] = [];
  if (config.mode === 'development') {
    ran = await runMigrations(dataSource);
    if (ran.length > 0) logger.info({ migrations: ran }, 'applied migrations');
  }
  const runtime = await assembleRuntime({
    config,
    logger,
    dataSource,
    keyring,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await keyring.close();
    },
  });
  if (ran.includes(STATE_TAG_MIGRATION)) await tagExistingSecrets(runtime);
  return runtime;
}

/**
 * Tags the secrets a database held before state tags existed, in the run that added
 * them (`strongroom migrate`, or development's start): see secret-state-backfill.ts.
 */
export async function tagExistingSecrets(runtime: Pick<Runtime, 'secretStore' | 'stateSealer' | 'logger'>) {
  const tagged = await tagUntaggedSecrets(runtime);
  if (tagged > 0) runtime.logger.info({ tagged }, 'tagged the state of existing secrets');
  return tagged;
}

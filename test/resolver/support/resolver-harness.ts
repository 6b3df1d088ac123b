import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { openAuditLog, type AuditLog } from '../../../services/core/audit/audit-log.js';
import { createEnvelopeCipher } from '../../../services/core/crypto/envelope-cipher.js';
import { createResolutionWiring } from '../../../services/app/resolver-app.js';
import type { LastUsedTracker } from '../../../services/core/resolution/last-used-tracker.js';
import {
  createPermissiveRunnerPolicy,
  type RunnerPolicy,
} from '../../../services/core/resolution/runner-policy.js';
import type { RunGrantVerifier } from '../../../services/core/resolution/run-grant-verifier.js';
import {
  createResolverServer,
  type ResolverLimits,
  type ResolverServer,
} from '../../../services/resolver/resolver-server.js';
import type { RunnerIdentityRule } from '../../../services/resolver/runner-identity.js';
import { createAuditStore } from '../../../services/storage/audit-store.js';
import {
  AuditEventEntity,
  type AuditEventRow,
} from '../../../services/storage/entities/audit-event-entity.js';
import { createResolutionStore, type ResolutionStore } from '../../../services/storage/resolution-store.js';
import { createSecretStore } from '../../../services/storage/secret-store.js';
import { openMigratedDataSource, type DatabaseKind } from '../../support/databases.js';
import { openTestIntegrity } from '../../support/integrity.js';
import type { SecretStateTags } from '../../../services/core/integrity/secret-state.js';
import { createTestKeyring } from '../../support/test-keyring.js';
import { createResolverClient, type ClientTls } from './resolver-client.js';
import type { SeedDeps } from '../../support/seed-secret.js';
import type { TestPki } from './test-pki.js';

/** One database, its stores, and a way to start resolvers on it with different wiring. */
export interface ResolverHarness extends SeedDeps {
  dataSource: DataSource;
  stateTags: SecretStateTags;
  store: ResolutionStore;
  auditLog: AuditLog;
  /**
   * Starts a resolver on an ephemeral port; every server started is closed by `close`,
   * and the one returned `close` lets a test stop its server sooner.
   */
  startServer(options?: {
    policy?: RunnerPolicy;
    auditLog?: Pick<AuditLog, 'appendCommitted'>;
    /** Replaces the candidate statements (behind the production cache and coalescer). */
    store?: Pick<ResolutionStore, 'findCandidateSnapshots'>;
    /** Overrides some of the production limits (tests shorten the timers to watch them fire). */
    limits?: Partial<ResolverLimits>;
    /** Run grants (SPEC §6.1): optional and unverified unless given. */
    runGrants?: { mode: 'required' | 'optional'; verifier?: Pick<RunGrantVerifier, 'verify'> };
    /** Which certificate names identify a runner (default uri-or-cn, as in development). */
    identityRule?: RunnerIdentityRule;
    /** The runner CA's revocation list (PEM). */
    revocationListPem?: Buffer;
  }): Promise<{ port: number; lastUsed: LastUsedTracker; server: ResolverServer; close(): Promise<void> }>;
  /** A client trusting the test CA, presenting `client` (default: runner alpha). */
  client(port: number, client?: ClientTls['client'] | null): ReturnType<typeof createResolverClient>;
  auditEvents(requestId: string): Promise<AuditEventRow[]>;
  close(): Promise<void>;
}

export async function createResolverHarness(kind: DatabaseKind, pki: TestPki): Promise<ResolverHarness> {
  const { dataSource, close: closeDatabase } = await openMigratedDataSource(kind);
  const keyring = createTestKeyring();
  const cipher = createEnvelopeCipher({ keyring });
  const secretStore = createSecretStore({ dataSource });
  const { stateTags, stateSealer } = await openTestIntegrity(dataSource, keyring);
  const auditLog = await openAuditLog({ auditStore: createAuditStore({ dataSource }) });
  const store = createResolutionStore({ dataSource });
  const closers: Array<() => Promise<void> | void> = [];
  const logger = pino({ level: 'silent' });

  return {
    dataSource,
    secretStore,
    cipher,
    stateSealer,
    stateTags,
    store,
    auditLog,
    async startServer(options = {}) {
      // The production wiring: kept candidates, misses coalesced, data keys kept beside them.
      const { resolutionService, lastUsed } = createResolutionWiring({
        dataSource,
        cipher,
        stateTags,
        auditLog: options.auditLog ?? auditLog,
        policy: options.policy ?? createPermissiveRunnerPolicy(),
        candidateStore: options.store,
        runGrants: options.runGrants,
        lastUsedFlushMs: 60_000,
      });
      const server = createResolverServer({
        resolutionService,
        logger,
        tls: {
          certPem: Buffer.from(pki.server.certPem),
          keyPem: Buffer.from(pki.server.keyPem),
          runnerCaPem: Buffer.from(pki.caPem),
        },
        limits: options.limits,
        identityRule: options.identityRule,
        revocationListPem: options.revocationListPem,
      });
      const port = await server.listen(0, '127.0.0.1');
      // Idempotent: a server the test already closed is closed again by the harness's `close`.
      let closing: Promise<void> | undefined;
      const close = () => (closing ??= server.close(1_000));
      closers.push(close);
      return { port, lastUsed, server, close };
    },
    client(port, client = pki.runnerAlpha) {
      const c = createResolverClient(port, { caPem: pki.caPem, client: client ?? undefined });
      closers.push(() => c.close());
      return c;
    },
    auditEvents: (requestId) =>
      dataSource.manager.find(AuditEventEntity, { where: { requestId }, order: { id: 'ASC' } }),
    async close() {
      for (const closeOne of closers.reverse()) await closeOne();
      await closeDatabase();
    },
  };
}

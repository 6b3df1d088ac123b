import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServices } from '../../services/app/api-app.js';
import { createResolutionWiring } from '../../services/app/resolver-app.js';
import { assembleRuntime, type Runtime } from '../../services/app/runtime.js';
import type { Principal } from '../../services/core/auth/principal.js';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { loadConfig } from '../../services/core/config/config.js';
import { createPermissiveRunnerPolicy } from '../../services/core/resolution/runner-policy.js';
import { createDataSource, runMigrations } from '../../services/storage/data-source.js';
import { captureLogger } from '../support/capture-logger.js';
import { createTestKeyring } from '../support/test-keyring.js';
import { createPrivateMariaDb, type PrivateMariaDb } from '../faults/support/private-mariadb.js';

/**
 * A server whose global SQL mode is NO_BACKSLASH_ESCAPES: mysql2 escapes a quote as \'
 * on the client, which that mode reads as a backslash followed by the end of the
 * string. Strongroom sets its own session mode on every connection, so hostile text
 * stays text everywhere it is written or searched.
 */
const HOSTILE = `' AS a, (SELECT COUNT(*) FROM secrets) AS injected -- `;
const HOSTILE_RUN = `run\\'); DELETE FROM audit_events; -- `;

describe('hostile text on a server whose global sql_mode is NO_BACKSLASH_ESCAPES', () => {
  let server: PrivateMariaDb;
  let runtime: Runtime;
  const admin: Principal = {
    subject: 'alice',
    workspaceId: 'ws-sql',
    role: 'admin',
    scopes: new Set(),
    requestId: 'r1',
    sourceAddress: '127.0.0.1',
  };

  beforeAll(async () => {
    server = await createPrivateMariaDb();
    await server.query("SET GLOBAL sql_mode = 'NO_BACKSLASH_ESCAPES'");
    await server.query('CREATE DATABASE strongroom CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
    const dataSource = createDataSource({ kind: 'mysql', url: server.url('strongroom') });
    await dataSource.initialize();
    await runMigrations(dataSource);
    runtime = await assembleRuntime({
      config: loadConfig({ STRONGROOM_DATA_DIR: '/tmp/strongroom-sql-mode' }),
      logger: captureLogger('sql-mode').logger,
      dataSource,
      keyring: createTestKeyring(),
      close: () => dataSource.destroy(),
    });
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    await server?.destroy();
  });

  it('every connection runs in Strongroom session mode, not the server default', async () => {
    const rows = (await runtime.dataSource.query('SELECT @@SESSION.sql_mode AS mode')) as Array<{
      mode: string;
    }>;
    expect(rows[0]!.mode).not.toContain('NO_BACKSLASH_ESCAPES');
    expect(rows[0]!.mode).toContain('STRICT_TRANS_TABLES');
  });

  it('a hostile description, search and run id are stored and found as data', async () => {
    const services = createApiServices(runtime);
    const created = await services.secrets.createSecret(admin, {
      name: 'HOSTILE_DESCRIBED',
      value: 'sql-mode-value-0001',
      description: HOSTILE,
      displayName: HOSTILE_RUN,
    });
    const read = await services.secrets.getSecret(admin, created.id);
    expect(read).toMatchObject({ description: HOSTILE, displayName: HOSTILE_RUN });
    // A search for the hostile text finds nothing and runs nothing.
    const page = await services.secrets.listSecrets(admin, { nameContains: HOSTILE });
    expect(page.totalCount).toBe(0);

    // A resolve whose run id is hostile: the candidate lookup and the audit batch both carry it.
    const { resolutionService } = createResolutionWiring({
      dataSource: runtime.dataSource,
      cipher: runtime.cipher,
      stateTags: runtime.stateTags,
      auditLog: runtime.auditLog,
      policy: createPermissiveRunnerPolicy(),
    });
    const values = await resolutionService.resolveForRun(
      { id: 'spiffe://strongroom/runner/sql' },
      {
        workspaceId: 'ws-sql',
        workflowId: HOSTILE,
        runId: HOSTILE_RUN,
        trigger: 'MANUAL',
        triggeredBy: 'alice',
        workflowOwner: '',
        stepId: '',
      },
      ['HOSTILE_DESCRIBED'],
      { requestId: 'sql-mode-resolve' },
    );
    expect(values.map((v) => v.value)).toEqual(['sql-mode-value-0001']);
    const events = (await runtime.dataSource.query(
      "SELECT workflow_id AS workflowId, run_id AS runId FROM audit_events WHERE request_id = 'sql-mode-resolve'",
    )) as Array<{ workflowId: string; runId: string }>;
    expect(events).toEqual([{ workflowId: HOSTILE, runId: HOSTILE_RUN }]);
    expect((await verifyAuditLog(runtime.auditStore)).ok).toBe(true);
  });
});

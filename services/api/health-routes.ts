import type { DataSource } from 'typeorm';
import { keyringMembers } from '../core/crypto/keyring-routing.js';
import type { Keyring } from '../core/crypto/keyring.js';
import { sendJson, type HttpRoute } from '../core/http/route-server.js';
import { createDatabasePing } from '../storage/database-ping.js';

/**
 * `/healthz`: the process is alive. `/readyz`: the database answers and the key
 * provider can wrap with its active key (an HSM or KMS asked at most once a second).
 * Only the active provider: the API wraps and never unwraps a data key, so a provider
 * read during a move (which its credentials may not even reach) is none of its business.
 */
export function createHealthRoutes({
  dataSource,
  keyring,
}: {
  dataSource: Pick<DataSource, 'isInitialized' | 'createQueryRunner'>;
  keyring: Keyring;
}): Record<string, HttpRoute> {
  const databaseAnswers = createDatabasePing(dataSource, 2_000);
  const wrapping = keyringMembers(keyring)[0]!;
  return {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/readyz': async (_req, res) => {
      const checks = { database: false, keyring: false };
      [checks.keyring, checks.database] = await Promise.all([
        wrapping.check().then(
          () => true,
          () => false,
        ),
        databaseAnswers(),
      ]);
      const ready = checks.database && checks.keyring;
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unready', checks });
    },
  };
}

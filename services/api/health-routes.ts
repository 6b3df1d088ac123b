import type { DataSource } from 'typeorm';
import type { Keyring } from '../core/crypto/keyring.js';
import type { HttpRoute } from './http-server.js';

const json =
  (status: number, body: unknown): HttpRoute =>
  (_req, res) => {
    res
      .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(body));
  };

/** `/healthz`: the process is alive. `/readyz`: the database answers and the keyring has its active key. */
export function createHealthRoutes({
  dataSource,
  keyring,
}: {
  dataSource: Pick<DataSource, 'query' | 'isInitialized'>;
  keyring: Pick<Keyring, 'activeKeyId' | 'keyIds'>;
}): Record<string, HttpRoute> {
  return {
    '/healthz': json(200, { status: 'ok' }),
    '/readyz': async (req, res) => {
      const checks = { database: false, keyring: false };
      try {
        checks.keyring = keyring.keyIds().includes(keyring.activeKeyId());
      } catch {
        checks.keyring = false;
      }
      try {
        if (dataSource.isInitialized) {
          await withTimeout(dataSource.query('SELECT 1'), 2000);
          checks.database = true;
        }
      } catch {
        checks.database = false;
      }
      const ready = checks.database && checks.keyring;
      await json(ready ? 200 : 503, { status: ready ? 'ready' : 'unready', checks })(req, res);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), ms);
    }),
  ]);
}

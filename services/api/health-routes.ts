import { sendJson, type HttpRoute } from '../core/http/route-server.js';

/** What readiness depends on, each a cheap check that answers within its own bound. */
export interface ReadinessChecks {
  /** True while the database answers. */
  database(): Promise<boolean>;
  /** True while the keyring holds its active key. */
  keyring(): boolean;
}

/** `/healthz`: the process is alive. `/readyz`: the database answers and the keyring has its active key. */
export function createHealthRoutes(readiness: ReadinessChecks): Record<string, HttpRoute> {
  return {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/readyz': async (_req, res) => {
      const checks = { database: false, keyring: false };
      try {
        checks.keyring = readiness.keyring();
      } catch {
        checks.keyring = false;
      }
      checks.database = await readiness.database();
      const ready = checks.database && checks.keyring;
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unready', checks });
    },
  };
}

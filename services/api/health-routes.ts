import { sendJson, type HttpRoute } from '../core/http/route-server.js';

/** What readiness depends on, each a cheap check that answers within its own bound. */
export interface ReadinessChecks {
  /** True while the database answers. */
  database(): Promise<boolean>;
  /**
   * True while the key provider can wrap with its active key (an HSM or KMS asked at
   * most once a second). Only the active provider: the API wraps and never unwraps a
   * data key, so a provider read during a move is none of its business.
   */
  keyring(): Promise<boolean>;
}

/** `/healthz`: the process is alive. `/readyz`: the database answers and the key provider can wrap. */
export function createHealthRoutes(readiness: ReadinessChecks): Record<string, HttpRoute> {
  return {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/readyz': async (_req, res) => {
      const checks = { database: false, keyring: false };
      [checks.keyring, checks.database] = await Promise.all([
        readiness.keyring().catch(() => false),
        readiness.database(),
      ]);
      const ready = checks.database && checks.keyring;
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unready', checks });
    },
  };
}

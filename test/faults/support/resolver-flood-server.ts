import { pino } from 'pino';
import { createLastUsedTracker } from '../../../services/core/resolution/last-used-tracker.js';
import { createResolutionService } from '../../../services/core/resolution/resolution-service.js';
import { createPermissiveRunnerPolicy } from '../../../services/core/resolution/runner-policy.js';
import { createResolverServer, type ResolverLimits } from '../../../services/resolver/resolver-server.js';
import type { ResolverHarness } from '../../resolver/support/resolver-harness.js';
import type { TestPki } from '../../resolver/support/test-pki.js';

/**
 * A resolver on the harness's database with some limits shortened, so a test can watch
 * them fire. Everything else (TLS, handler, audit) is the production wiring.
 */
export async function startLimitedResolver(
  h: Pick<ResolverHarness, 'store' | 'cipher' | 'auditLog'>,
  pki: TestPki,
  limits: Partial<ResolverLimits>,
): Promise<{ port: number; close(): Promise<void> }> {
  const resolutionService = createResolutionService({
    store: h.store,
    cipher: h.cipher,
    auditLog: h.auditLog,
    policy: createPermissiveRunnerPolicy(),
    lastUsed: createLastUsedTracker({ store: h.store, flushIntervalMs: 60_000 }),
  });
  const server = createResolverServer({
    resolutionService,
    logger: pino({ level: 'silent' }),
    tls: {
      certPem: Buffer.from(pki.server.certPem),
      keyPem: Buffer.from(pki.server.keyPem),
      runnerCaPem: Buffer.from(pki.caPem),
    },
    limits,
  });
  const port = await server.listen(0, '127.0.0.1');
  return { port, close: () => server.close(500) };
}

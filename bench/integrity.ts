import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openRuntime } from '../services/app/runtime.js';
import type { AuditEventInput } from '../services/core/audit/audit-event.js';
import { verifyAuditLog } from '../services/core/audit/audit-verifier.js';
import { createIncrementalAuditVerifier } from '../services/core/audit/incremental-audit-verifier.js';
import { loadConfig } from '../services/core/config/config.js';
import { createSecretStateTags, type SecretState } from '../services/core/integrity/secret-state.js';
import { createLogger } from '../services/core/logging/logger.js';
import type { BenchDatabase } from './support/database.js';
import type { BenchKeys } from './support/keys.js';
import { figure, type Figure } from './support/report.js';
import { secretName, seedSecrets } from './support/seed.js';
import { strongroomEnv } from './support/strongroom.js';

const LOG_EVENTS = 100_000;
const NEW_EVENTS = 1_000;
const BATCH = 500;
/** Names a resolve asks for in one call, and so the states one candidate-cache fill checks. */
const NAMES_PER_FILL = 20;
const STATE_CHECKS = 200_000;

interface IntegrityRaw {
  logEvents: number;
  appendSeconds: number;
  checkpointAfterNewMs: number;
  checkpointUnchangedMs: number;
  fullVerifySeconds: number;
  bareScanSeconds: number;
  incrementalVerifyMs: number;
  stateCheckMicros: number;
  candidateLookupMicros: number;
}

/**
 * What SPEC §8.1 costs, measured on the real code over the bench MariaDB: a signed
 * checkpoint after 1,000 new events on a 100,000-event log, `audit verify` over the
 * whole log against a bare scan of the same rows, the API's incremental verify after
 * 1,000 new events, and a state-tag check per candidate-cache fill against the
 * candidate lookup it follows. The resolve ratio at 32 in flight is the resolve step's.
 */
export async function benchIntegrity({
  db,
  keys,
}: {
  db: BenchDatabase;
  keys: BenchKeys;
}): Promise<{ figures: Figure[]; raw: IntegrityRaw }> {
  const { env } = strongroomEnv(db, keys, { STRONGROOM_LOG_LEVEL: 'silent' });
  const config = loadConfig(env);
  const runtime = await openRuntime(config, createLogger({ level: 'silent', name: 'bench-integrity' }));
  try {
    const event = (i: number): AuditEventInput => ({
      action: 'secret.resolve',
      outcome: 'SUCCESS',
      actorType: 'runner',
      actorId: 'spiffe://strongroom/runner/bench',
      workspaceId: 'ws-integrity',
      secretId: randomUUID(),
      secretName: `NAME_${i % 500}`,
      scope: 'WORKSPACE',
      version: 1,
      workflowId: 'wf-bench',
      runId: `run-${Math.floor(i / 20)}`,
      trigger: 'MANUAL',
      runner: 'spiffe://strongroom/runner/bench',
      requestId: `req-${i}`,
    });
    const append = async (from: number, count: number) => {
      // Several batches in flight, as a busy resolver commits them (its group commit spreads them over chains).
      const batches: Array<Promise<unknown>> = [];
      for (let i = from; i < from + count; i += BATCH) {
        batches.push(
          runtime.auditLog.appendCommitted(
            Array.from({ length: Math.min(BATCH, from + count - i) }, (_, k) => event(i + k)),
          ),
        );
        if (batches.length === 4) await Promise.all(batches.splice(0));
      }
      await Promise.all(batches);
    };

    const a0 = performance.now();
    await append(0, LOG_EVENTS);
    const appendSeconds = (performance.now() - a0) / 1000;
    await runtime.checkpoints.write('command', { force: true });

    await append(LOG_EVENTS, NEW_EVENTS);
    const c0 = performance.now();
    await runtime.checkpoints.write('command');
    const checkpointAfterNewMs = performance.now() - c0;
    const u0 = performance.now();
    await runtime.checkpoints.write('command');
    const checkpointUnchangedMs = performance.now() - u0;

    const { publicKey } = await runtime.integrity.keys();
    const options = { checkpointStore: runtime.checkpointStore, publicKey, maxCheckpointAgeMs: 3_600_000 };
    const v0 = performance.now();
    const full = await verifyAuditLog(runtime.auditStore, options);
    const fullVerifySeconds = (performance.now() - v0) / 1000;
    if (!full.ok) throw new Error(`bench log did not verify: ${JSON.stringify(full)}`);

    // The floor: reading every row's columns once, with no hashing and no checks.
    const s0 = performance.now();
    await db.pool.query('SELECT * FROM audit_events ORDER BY chain_id, chain_seq');
    const bareScanSeconds = (performance.now() - s0) / 1000;

    const incremental = createIncrementalAuditVerifier({
      auditStore: runtime.auditStore,
      checkpointStore: runtime.checkpointStore,
      publicKey: async () => publicKey,
      maxCheckpointAgeMs: 3_600_000,
    });
    await incremental.verify();
    await append(LOG_EVENTS + NEW_EVENTS, NEW_EVENTS);
    await runtime.checkpoints.write('command');
    const i0 = performance.now();
    const again = await incremental.verify();
    const incrementalVerifyMs = performance.now() - i0;
    if (!again.ok) throw new Error(`incremental verify failed: ${JSON.stringify(again)}`);

    // State checks: the resolver's checker over candidate-sized states, against the
    // candidate lookup it follows (one indexed read of 20 names, as the resolve path runs it).
    const tags = createSecretStateTags(async () => (await runtime.integrity.keys()).stateKey);
    const states: SecretState[] = Array.from({ length: 1000 }, (_, i) => ({
      id: randomUUID(),
      workspaceId: 'ws-integrity',
      scope: i % 2 ? 'WORKSPACE' : 'PERSONAL',
      ownerId: i % 2 ? '' : 'alice',
      name: `NAME_${i}`,
      currentVersion: 1 + (i % 5),
      systemManaged: false,
      integration: '',
      restricted: i % 3 === 0,
      members: i % 3 === 0 ? [{ userId: 'bob', role: 'USER' }] : [],
    }));
    const tagged = await Promise.all(states.map(async (s) => ({ s, tag: await tags.tagOf(s) })));
    const check = await tags.checker();
    let valid = 0;
    const h0 = performance.now();
    for (let i = 0; i < STATE_CHECKS; i++) {
      const { s, tag } = tagged[i % tagged.length]!;
      if (check(s, tag)) valid += 1;
    }
    const stateCheckMicros = ((performance.now() - h0) * 1000) / STATE_CHECKS;
    if (valid !== STATE_CHECKS) throw new Error('a state tag did not verify');

    await seedSecrets(db.pool, keys.cipher(), {
      tagState: await keys.stateTagger(db.pool),
      workspaceId: 'ws-integrity',
      count: 1000,
      prefix: 'FILL',
    });
    const names = Array.from({ length: NAMES_PER_FILL }, (_, i) => secretName('FILL', i * 7));
    await db.pool.query('SELECT id FROM secrets WHERE workspace_id = ? AND name IN (?)', [
      'ws-integrity',
      names,
    ]);
    const lookups = 2_000;
    const l0 = performance.now();
    for (let i = 0; i < lookups; i++) {
      await db.pool.query(
        'SELECT s.id, s.scope, s.owner_id, s.current_version, s.state_tag FROM secrets s WHERE s.workspace_id = ? AND s.name IN (?)',
        ['ws-integrity', names],
      );
    }
    const candidateLookupMicros = ((performance.now() - l0) * 1000) / lookups;

    const raw: IntegrityRaw = {
      logEvents: LOG_EVENTS + 2 * NEW_EVENTS,
      appendSeconds,
      checkpointAfterNewMs,
      checkpointUnchangedMs,
      fullVerifySeconds,
      bareScanSeconds,
      incrementalVerifyMs,
      stateCheckMicros,
      candidateLookupMicros,
    };
    const fillCheckMicros = stateCheckMicros * NAMES_PER_FILL;
    return {
      figures: [
        {
          figure: `signed checkpoint after ${NEW_EVENTS} new events (log of ${LOG_EVENTS})`,
          unit: 'ms',
          value: Number(checkpointAfterNewMs.toFixed(1)),
          note: `walks and re-hashes the new events, signs with Ed25519; nothing moved: ${checkpointUnchangedMs.toFixed(1)} ms`,
        },
        figure({
          figure: `audit verify, whole log (${raw.logEvents} events)`,
          unit: 's',
          value: Number(fullVerifySeconds.toFixed(2)),
          floor: { name: 'bare SELECT of the same rows', value: Number(bareScanSeconds.toFixed(2)) },
        }),
        {
          figure: `incremental verifyAuditLog after ${NEW_EVENTS} new events`,
          unit: 'ms',
          value: Number(incrementalVerifyMs.toFixed(1)),
          note: `from the last verified checkpoint; the whole log took ${(fullVerifySeconds * 1000).toFixed(0)} ms`,
        },
        figure({
          figure: `state-tag checks per candidate fill (${NAMES_PER_FILL} names)`,
          unit: 'µs',
          value: Number(fillCheckMicros.toFixed(1)),
          floor: {
            name: `the candidate lookup of ${NAMES_PER_FILL} names`,
            value: Number(candidateLookupMicros.toFixed(1)),
          },
          note: `${stateCheckMicros.toFixed(2)} µs per state; paid once per fill, not per resolve`,
        }),
      ],
      raw,
    };
  } finally {
    await runtime.close();
  }
}

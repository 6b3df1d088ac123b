import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pruneAuditLog } from '../../services/core/audit/audit-pruner.js';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { keysCommand } from '../../services/cli/commands/keys.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { resolveEvent } from '../audit/support.js';
import { openCheckpointEnv, type CheckpointEnv } from './support/checkpoint-env.js';

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

async function verifyWithKey(env: CheckpointEnv, options: { maxCheckpointAgeMs?: number } = {}) {
  return verifyAuditLog(env.runtime.auditStore, {
    checkpointStore: env.runtime.checkpointStore,
    publicKey: (await env.runtime.integrity.keys()).publicKey,
    ...options,
  });
}

/** Three checkpoints over a growing log. */
async function threeCheckpoints(env: CheckpointEnv) {
  for (let i = 0; i < 3; i++) {
    await env.runtime.auditLog.appendCommitted([resolveEvent(`c${i}`)]);
    expect(await env.runtime.checkpoints.write('command')).toMatchObject({ seq: i + 1 });
  }
}

describe.each(DATABASE_KINDS)('signed checkpoints on %s', (kind) => {
  let env: CheckpointEnv | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await env?.close();
    env = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('a checkpoint row edited, forged or deleted is detected; an external copy catches a deleted newest one', async () => {
    env = await openCheckpointEnv(kind);
    await threeCheckpoints(env);
    expect(await verifyWithKey(env)).toMatchObject({ ok: true, checkpointSeq: 3 });
    // The copies in STRONGROOM_AUDIT_CHECKPOINT_DIR hold all three.
    const copies = readdirSync(env.checkpointDir);
    expect(copies).toHaveLength(1);
    expect(readFileSync(join(env.checkpointDir, copies[0]!), 'utf8').trim().split('\n')).toHaveLength(3);

    // The newest deleted: the database alone cannot tell (it looks like an older log), the copy can.
    const [newest] = await env.runtime.checkpointStore.listFrom(3, 1);
    await env.dataSource.query('DELETE FROM audit_checkpoints WHERE seq = 3');
    expect(await verifyWithKey(env)).toMatchObject({ ok: true, checkpointSeq: 2 });
    const withCopy = await env.auditCli(['verify', '--json', '--checkpoints', env.checkpointDir]);
    expect(withCopy.code).toBe(1);
    expect(JSON.parse(withCopy.out)).toMatchObject({ ok: false, failedCheck: 'checkpoint-missing' });
    await env.runtime.checkpointStore.insert(newest!);
    expect((await env.auditCli(['verify', '--checkpoints', env.checkpointDir])).code).toBe(0);

    // A row whose body was edited (here: its time moved) no longer verifies its signature.
    const [second] = await env.runtime.checkpointStore.listFrom(2, 1);
    const edited = second!.body.replace(/"at":"[^"]+"/, `"at":"${new Date(0).toISOString()}"`);
    expect(edited).not.toBe(second!.body);
    await env.dataSource.query('UPDATE audit_checkpoints SET body = ? WHERE seq = 2', [edited]);
    expect(await verifyWithKey(env)).toMatchObject({ ok: false, failedCheck: 'checkpoint-signature' });
    await env.dataSource.query('UPDATE audit_checkpoints SET body = ? WHERE seq = 2', [second!.body]);

    // A middle row deleted: the chain of checkpoints has a gap.
    await env.dataSource.query('DELETE FROM audit_checkpoints WHERE seq = 2');
    expect(await verifyWithKey(env)).toMatchObject({ ok: false, failedCheck: 'checkpoint-chain' });
  });

  it('a checkpoint forged without the key does not verify, and the writer refuses to continue it', async () => {
    env = await openCheckpointEnv(kind);
    await threeCheckpoints(env);
    const { generateKeyPairSync } = await import('node:crypto');
    const { signCheckpoint, parseCheckpointBody } =
      await import('../../services/core/audit/checkpoint-body.js');
    const [last] = (await env.dataSource.query(
      'SELECT hash, body FROM audit_checkpoints WHERE seq = 3',
    )) as Array<{
      hash: string;
      body: string;
    }>;
    const body = parseCheckpointBody(last!.body);
    const forged = signCheckpoint(
      { ...body, seq: 4, prev: last!.hash, at: new Date().toISOString() },
      generateKeyPairSync('ed25519').privateKey,
      new Date(),
    );
    await env.runtime.checkpointStore.insert({ ...forged, fullState: 0 });
    expect(await verifyWithKey(env)).toMatchObject({ ok: false, failedCheck: 'checkpoint-signature' });
    await env.runtime.auditLog.appendCommitted([resolveEvent('after-forgery')]);
    await expect(env.runtime.checkpoints.write('periodic')).rejects.toMatchObject({
      code: 'DATA_LOSS',
      details: { check: 'checkpoint-signature' },
    });
  });

  it('events older than the allowed age under no checkpoint are stale: deleting every checkpoint is seen', async () => {
    env = await openCheckpointEnv(kind);
    await env.runtime.auditLog.appendCommitted([resolveEvent('old', { occurredAt: daysAgo(1) })]);
    // Never checkpointed, a day old: stale.
    expect(await verifyWithKey(env)).toMatchObject({ ok: false, failedCheck: 'checkpoint-stale' });
    await env.runtime.checkpoints.write('command');
    expect(await verifyWithKey(env)).toMatchObject({ ok: true });
    // Recent events not yet under a checkpoint are not stale within the allowed age, and are when past it.
    await env.runtime.auditLog.appendCommitted([
      resolveEvent('new', { occurredAt: new Date(Date.now() - 5_000) }),
    ]);
    expect(await verifyWithKey(env)).toMatchObject({ ok: true });
    expect(await verifyWithKey(env, { maxCheckpointAgeMs: 1_000 })).toMatchObject({
      ok: false,
      failedCheck: 'checkpoint-stale',
    });
    const cli = await env.auditCli(['verify', '--json', '--max-checkpoint-age', '1s']);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.out)).toMatchObject({ failedCheck: 'checkpoint-stale' });

    // Every checkpoint deleted: the day-old event is stale again, and the running writer,
    // which remembers what it signed, refuses to start a new history over it.
    await env.dataSource.query('DELETE FROM audit_checkpoints');
    expect(await verifyWithKey(env)).toMatchObject({ ok: false, failedCheck: 'checkpoint-stale' });
    await expect(env.runtime.checkpoints.write('command')).rejects.toMatchObject({
      code: 'DATA_LOSS',
      details: { check: 'checkpoint-missing' },
    });
  });

  it('a real retention prune is signed and still verifies; an unsigned one is refused by verification', async () => {
    env = await openCheckpointEnv(kind);
    await env.runtime.auditLog.appendCommitted([
      resolveEvent('o1', { occurredAt: daysAgo(40) }),
      resolveEvent('o2', { occurredAt: daysAgo(39) }),
      resolveEvent('n1', { occurredAt: new Date() }),
    ]);
    await env.runtime.checkpoints.write('command');
    const result = await pruneAuditLog({
      auditStore: env.runtime.auditStore,
      auditLog: env.runtime.auditLog,
      checkpoints: env.runtime.checkpoints,
      checkpointStore: env.runtime.checkpointStore,
      before: daysAgo(30),
      actorId: 'ops',
    });
    expect(result.deleted).toBe(2);
    const reasons = (
      (await env.dataSource.query('SELECT body FROM audit_checkpoints ORDER BY seq')) as Array<{
        body: string;
      }>
    ).map((r) => (JSON.parse(r.body) as { reason: string }).reason);
    expect(reasons).toEqual(['command', 'prune-intent', 'prune-done']);
    expect(await verifyWithKey(env)).toMatchObject({ ok: true });
    expect((await env.auditCli(['verify'])).code).toBe(0);
    // The next checkpoint continues from the pruned chain.
    await env.runtime.auditLog.appendCommitted([resolveEvent('n2')]);
    await expect(env.runtime.checkpoints.write('periodic')).resolves.toMatchObject({ seq: 4 });
  });

  it('a real key rotation and rewrap move the integrity root; checkpoints still verify and continue', async () => {
    env = await openCheckpointEnv(kind);
    await threeCheckpoints(env);
    const before = (await env.runtime.integrity.keys()).publicKeyText;
    expect(await env.cli(keysCommand, ['rotate'])).toMatchObject({ code: 0 });
    const rewrap = await env.cli(keysCommand, ['rewrap']);
    expect(rewrap).toMatchObject({ code: 0 });
    expect(rewrap.out).toMatch(/and the integrity root/);
    const [root] = (await env.dataSource.query('SELECT key_id FROM integrity_roots')) as Array<{
      key_id: string;
    }>;
    const keyIds = JSON.parse(readFileSync(join(env.dataDir, 'keyring.json'), 'utf8')) as {
      activeKeyId: string;
    };
    expect(root!.key_id).toBe(keyIds.activeKeyId);
    const publicKey = await env.auditCli(['public-key']);
    expect(publicKey).toMatchObject({ code: 0, out: before });
    expect((await env.auditCli(['verify'])).code).toBe(0);
    const signed = await env.auditCli(['checkpoint']);
    expect(signed).toMatchObject({ code: 0 });
    expect(signed.out).toMatch(/^checkpoint \d+ signed at /);
    expect((await env.auditCli(['verify'])).code).toBe(0);
  });

  it('verifies on an auditor machine with only the public key and a copy of the checkpoint files', async () => {
    env = await openCheckpointEnv(kind);
    await threeCheckpoints(env);
    const key = (await env.auditCli(['public-key'])).out;
    const auditor = mkdtempSync(join(tmpdir(), 'strongroom-auditor-'));
    dirs.push(auditor);
    const keyFile = join(auditor, 'audit.pub');
    writeFileSync(keyFile, `${key}\n`);
    const copies = join(auditor, 'checkpoints');
    cpSync(env.checkpointDir, copies, { recursive: true });
    let database = {};
    if (kind === 'sqlite') {
      // Another machine's copy of the database file: nothing of the original data dir.
      const path = join(auditor, 'copy.sqlite');
      await env.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
      copyFileSync(env.db.sqlitePath!, path);
      database = { DATABASE_URL: `sqlite:${path}` };
    }
    const verify = (args: string[] = []) =>
      env!.auditCli(
        ['verify', '--json', '--public-key', keyFile, '--checkpoints', copies, ...args],
        { STRONGROOM_KEYRING: 'file', STRONGROOM_MASTER_KEYS: '', ...database },
        auditor,
      );
    const ok = await verify();
    expect(ok.code).toBe(0);
    // `audit public-key` ran a process too, which signed its own shutdown checkpoint.
    const newest = await env.runtime.checkpointStore.newest();
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, checkpointSeq: newest!.seq });
    // No keyring was opened or created on the auditor's machine.
    expect(readdirSync(auditor).sort()).toEqual(
      ['audit.pub', 'checkpoints', ...(kind === 'sqlite' ? ['copy.sqlite'] : [])].sort(),
    );

    // An edited line of the copy is caught.
    const [file] = readdirSync(copies);
    const text = readFileSync(join(copies, file!), 'utf8');
    const lines = text.trim().split('\n');
    const line = JSON.parse(lines[1]!) as { body: string };
    line.body = line.body.replace(/"at":"[^"]+"/, '"at":"2020-01-01T00:00:00.000Z"');
    lines[1] = JSON.stringify(line);
    writeFileSync(join(copies, file!), `${lines.join('\n')}\n`);
    const edited = await verify();
    expect(edited.code).toBe(1);
    expect(JSON.parse(edited.out)).toMatchObject({ ok: false, failedCheck: 'checkpoint-signature' });
    // The wrong key verifies nothing.
    writeFileSync(join(copies, file!), text);
    const { generateKeyPairSync } = await import('node:crypto');
    const { publicKeyText } = await import('../../services/core/integrity/integrity-keys.js');
    const wrong = await env.auditCli(
      ['verify', '--json', '--public-key', publicKeyText(generateKeyPairSync('ed25519').publicKey)],
      database,
      auditor,
    );
    expect(JSON.parse(wrong.out)).toMatchObject({ ok: false, failedCheck: 'checkpoint-signature' });
  });

  it('a process whose chain head is moved behind its back logs it, counts it and goes on in a new chain', async () => {
    env = await openCheckpointEnv(kind);
    const [first] = await env.runtime.auditLog.appendCommitted([resolveEvent('mine')]);
    await env.runtime.checkpoints.write('command');
    // The forged head: a plausible hash, as a writer re-chaining the rows would leave.
    await env.dataSource.query('UPDATE audit_chains SET last_hash = ? WHERE chain_id = ?', [
      'a'.repeat(64),
      first!.chainId,
    ]);
    const [next] = await env.runtime.auditLog.appendCommitted([resolveEvent('after')]);
    expect(next!.chainId).not.toBe(first!.chainId);
    expect(next!.chainSeq).toBe(1);
    const metrics = await env.runtime.metrics.registry.getSingleMetricAsString(
      'strongroom_audit_chain_conflicts_total',
    );
    expect(metrics).toMatch(/strongroom_audit_chain_conflicts_total 1$/m);
    expect(env.logLines.join('\n')).toMatch(/audit chain head moved/);
    // The forged head is still there for verification to find.
    expect(await verifyWithKey(env)).toMatchObject({ ok: false });
  });
});

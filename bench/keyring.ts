import { createEnvelopeCipher } from '../services/core/crypto/envelope-cipher.js';
import { createPkcs11Keyring } from '../services/core/crypto/pkcs11/pkcs11-keyring.js';
import { createResolverClient } from '../services/sdk/resolver-client.js';
import type { RunContext } from '../services/sdk/resolver-client-types.js';
import { createSoftHsm, SOFTHSM_LIBRARY } from '../test/support/softhsm.js';
import type { BenchChild } from './support/child-process.js';
import { runChild } from './support/child-process.js';
import { runClosedLoopSample, summarize, type LoadSample } from './support/closed-loop.js';
import type { BenchDatabase } from './support/database.js';
import { createBenchKeys, type BenchKeys } from './support/keys.js';
import type { BenchPki } from './support/pki.js';
import { belowFigure, figure, type Figure } from './support/report.js';
import { seedSecrets } from './support/seed.js';
import { CLI, startResolver, strongroomEnv } from './support/strongroom.js';

const SECRETS = 1_000;
const NAMES_PER_CALL = 5;
const IN_FLIGHT = 32;
const SLICE_SECONDS = 1;
const REWRAP_VERSIONS = 100_000;
const VERSIONS_PER_SECRET = 5;
const KEY_LABEL = 'bench-master';

const contextFor = (workspaceId: string): RunContext => ({
  workspaceId,
  workflowId: 'wf-bench',
  runId: 'run-bench',
  trigger: 'MANUAL',
  triggeredBy: 'bench-user',
  workflowOwner: 'bench-user',
  stepId: 'step-1',
});

/**
 * The key providers' cost (issue #24), on a SoftHSM2 token made for the run:
 * - resolve at 32 in flight with `STRONGROOM_KEYRING=pkcs11` against the same resolver
 *   with the file keyring, in alternating one-second slices (5 random names of 1,000
 *   per call, mTLS, through the runner SDK);
 * - `strongroom keys rewrap` of 100,000 versions sealed under a file key to the HSM
 *   (the CLI reads the old file key through STRONGROOM_MASTER_KEYS while it moves them).
 */
export async function benchKeyring({
  db,
  keys,
  pki,
  seconds,
}: {
  db: BenchDatabase;
  keys: BenchKeys;
  pki: BenchPki;
  seconds: number;
}): Promise<{ figures: Figure[]; raw: unknown }> {
  const hsm = createSoftHsm();
  // This process seals the HSM workspace's values through the token as the API would.
  hsm.useInThisProcess();
  const token = await hsm.initToken('strongroom-bench');
  await token.createKey(KEY_LABEL);
  const hsmKeyring = createPkcs11Keyring({
    libraryPath: SOFTHSM_LIBRARY,
    tokenLabel: token.label,
    keyLabel: KEY_LABEL,
    readPin: () => token.pin,
    sessions: 8,
  });
  const children: BenchChild[] = [];
  const clients: Array<ReturnType<typeof createResolverClient>> = [];
  try {
    const setups = {
      file: { workspaceId: 'ws-file', env: {}, cipher: keys.cipher() },
      pkcs11: {
        workspaceId: 'ws-hsm',
        env: token.env(KEY_LABEL),
        cipher: createEnvelopeCipher({ keyring: hsmKeyring }),
      },
    };
    const calls: Record<string, () => Promise<void>> = {};
    for (const [provider, setup] of Object.entries(setups)) {
      const secrets = await seedSecrets(db.pool, setup.cipher, {
        // The root is sealed by the file keys (the first setup's); the HSM resolver unwraps it through them.
        tagState: await keys.stateTagger(db.pool),
        workspaceId: setup.workspaceId,
        count: SECRETS,
        prefix: 'KEYRING',
      });
      const names = secrets.map((s) => s.name);
      const { child, port } = await startResolver(strongroomEnv(db, keys, { ...pki.env, ...setup.env }));
      children.push(child);
      const client = createResolverClient({
        address: `127.0.0.1:${port}`,
        ca: pki.caPem,
        cert: pki.runner.certPem,
        key: pki.runner.keyPem,
        serverName: 'localhost',
      });
      clients.push(client);
      const context = contextFor(setup.workspaceId);
      calls[provider] = async () => {
        const picked = Array.from(
          { length: NAMES_PER_CALL },
          () => names[Math.floor(Math.random() * names.length)]!,
        );
        if ((await client.resolve(context, picked)).length === 0) throw new Error('empty answer');
      };
      await runClosedLoopSample(calls[provider], { inFlight: 8, seconds: Math.min(2, seconds) });
    }
    const samples: Record<string, LoadSample[]> = { file: [], pkcs11: [] };
    for (let slice = 0; slice < Math.max(1, Math.round(seconds / SLICE_SECONDS)); slice += 1) {
      for (const provider of ['file', 'pkcs11']) {
        samples[provider]!.push(
          await runClosedLoopSample(calls[provider]!, { inFlight: IN_FLIGHT, seconds: SLICE_SECONDS }),
        );
      }
    }
    const file = summarize('resolve with file keyring', samples.file!);
    const pkcs11 = summarize('resolve with pkcs11 keyring', samples.pkcs11!);
    for (const client of clients.splice(0)) client.close?.();
    for (const child of children.splice(0)) await child.stop();

    const rewrap = await benchRewrapToHsm(db, token.env(KEY_LABEL));
    return {
      figures: [
        figure(
          {
            figure: `resolve @${IN_FLIGHT} in flight, pkcs11 (SoftHSM2)`,
            unit: 'calls/s',
            value: pkcs11.callsPerSecond,
            floor: { name: 'file keyring', value: file.callsPerSecond },
            target: '≥ 0.9×',
          },
          ({ ratio }) => (ratio ?? 0) >= 0.9,
        ),
        figure({
          figure: `resolve @${IN_FLIGHT} p99, pkcs11 (SoftHSM2)`,
          unit: 'ms',
          value: pkcs11.p99Ms,
          floor: { name: 'file keyring', value: file.p99Ms },
        }),
        belowFigure(
          {
            figure: `keys rewrap ${REWRAP_VERSIONS} versions file → pkcs11`,
            unit: 's',
            value: rewrap.seconds,
            note: `peak RSS ${rewrap.peakRssMb.toFixed(0)} MiB`,
          },
          120,
        ),
      ],
      raw: { file, pkcs11, rewrap },
    };
  } finally {
    for (const client of clients) client.close?.();
    for (const child of children) await child.stop();
    await hsmKeyring.close();
    hsm.remove();
  }
}

/** 100,000 versions sealed under a file key, then `keys rewrap` to the HSM by the real CLI. */
async function benchRewrapToHsm(db: BenchDatabase, hsmEnv: Record<string, string>) {
  await db.truncate();
  const fileKeys = createBenchKeys();
  await seedSecrets(db.pool, fileKeys.cipher(), {
    tagState: await fileKeys.stateTagger(db.pool),
    workspaceId: 'ws-rewrap-hsm',
    count: REWRAP_VERSIONS / VERSIONS_PER_SECRET,
    prefix: 'REWRAP_HSM',
    versions: VERSIONS_PER_SECRET,
  });
  // The file keys stay readable through STRONGROOM_MASTER_KEYS while the HSM wraps.
  const { env } = strongroomEnv(db, fileKeys, { ...hsmEnv, STRONGROOM_LOG_LEVEL: 'warn' });
  const result = await runChild(CLI, ['keys', 'rewrap'], env);
  const rewrapped = Number(/rewrapped (\d+)/.exec(result.stdout)?.[1]);
  if (rewrapped !== REWRAP_VERSIONS) {
    throw new Error(`keys rewrap re-wrapped ${rewrapped} of ${REWRAP_VERSIONS}: ${result.stdout}`);
  }
  const [[row]] = (await db.pool.query('SELECT COUNT(*) AS n FROM secret_versions WHERE key_id = ?', [
    `pkcs11:${KEY_LABEL}`,
  ])) as unknown as [[{ n: number }]];
  if (Number(row.n) !== REWRAP_VERSIONS) throw new Error(`only ${row.n} versions are on the HSM key`);
  return { seconds: result.seconds, peakRssMb: result.peakRssMb };
}

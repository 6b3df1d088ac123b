import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, type Connection } from 'mysql2/promise';
import type { OutageServices } from '../faults/support/outage-services.js';
import { startGaleraCluster, type GaleraCluster } from './support/galera-cluster.js';
import {
  createClusterServices,
  createSecret,
  rotate,
  runContext,
  DATABASE,
} from './support/cluster-services.js';

const WORKSPACE = 'ws-causal';
/** How long the test holds a node's applier back: far longer than a resolve takes. */
const LAG_MS = 600;

/**
 * A rotation committed on one node is what the next resolve on any other node serves.
 * Galera applies a commit on the other nodes a little after the writer is answered;
 * Strongroom's connections to a Galera node read causally (`wsrep_sync_wait`), so the
 * candidate lookup of a fresh resolve, and the generation check that lets a cached
 * resolve through, wait for that node to catch up instead of reading the old row.
 */
describe('causal reads on a three-node Galera cluster (API on node 1, resolvers on nodes 2 and 3)', () => {
  let cluster: GaleraCluster;
  let services: Awaited<ReturnType<typeof createClusterServices>>;
  let api: OutageServices;
  let resolvers: OutageServices[];
  let bearer: string;

  beforeAll(async () => {
    cluster = await startGaleraCluster({ slot: 2 });
    services = await createClusterServices(cluster);
    api = await services.on(0);
    resolvers = [await services.on(1), await services.on(2)];
    bearer = await api.token('alice', WORKSPACE);
  }, 240_000);

  afterAll(async () => {
    await services?.close();
    await cluster?.destroy();
  }, 60_000);

  const resolveOn = async (resolver: OutageServices, name: string, runId: string) => {
    const result = await resolver.runner.resolve(
      { context: runContext(WORKSPACE, runId), names: [name] },
      { deadlineMs: 20_000 },
    );
    if (result.error) throw new Error(`resolve failed: ${result.error.code} ${result.error.details}`);
    return result.response!.secrets[0]!.value;
  };

  /**
   * Holds node `index`'s applier: FLUSH TABLES WITH READ LOCK desyncs the node and pauses
   * it, so commits made elsewhere meanwhile are not applied there until `release`.
   */
  async function holdApplier(index: number): Promise<{ release(): Promise<void> }> {
    const conn: Connection = await createConnection({ uri: cluster.nodes[index]!.url() });
    await conn.query('FLUSH TABLES WITH READ LOCK');
    return {
      async release() {
        await conn.query('UNLOCK TABLES');
        await conn.end();
      },
    };
  }

  /** The current version of a secret as node `index` has it now, without waiting for the cluster. */
  async function plainVersionOn(index: number, id: string): Promise<number> {
    const rows = (await cluster.query(
      index,
      `SET STATEMENT wsrep_sync_wait = 0 FOR SELECT current_version AS v FROM ${DATABASE}.secrets WHERE id = ?`,
      [id],
    )) as Array<{ v: number }>;
    return Number(rows[0]!.v);
  }

  it('serves a rotation made on node 1 from nodes that have not applied it yet: cached (node 2) and fresh (node 3)', async () => {
    const id = await createSecret(api, bearer, 'CAUSAL_KEY', 'v1');
    // Node 2's resolver keeps the candidates from this call; node 3's has never seen the name.
    expect(await resolveOn(resolvers[0]!, 'CAUSAL_KEY', 'warm')).toBe('v1');

    const held = [await holdApplier(1), await holdApplier(2)];
    let released = false;
    try {
      expect((await rotate(api, bearer, id, 'v2')).version).toBe(2);
      // The lag is real: nodes 2 and 3 still have version 1 as plain reads see it.
      expect(await plainVersionOn(1, id)).toBe(1);
      expect(await plainVersionOn(2, id)).toBe(1);

      const release = new Promise<void>((resolve) =>
        setTimeout(() => {
          released = true;
          void Promise.all(held.map((h) => h.release())).then(() => resolve());
        }, LAG_MS),
      );
      const [cached, fresh] = await Promise.all([
        resolveOn(resolvers[0]!, 'CAUSAL_KEY', 'after-rotation-2'),
        resolveOn(resolvers[1]!, 'CAUSAL_KEY', 'after-rotation-3'),
      ]);
      await release;
      expect({ cached, fresh }).toEqual({ cached: 'v2', fresh: 'v2' });
    } finally {
      if (!released) await Promise.all(held.map((h) => h.release()));
    }
  }, 60_000);

  it('serves every rotation from the next resolve on another node while the cluster applies a write load: 0 stale of 20', async () => {
    const id = await createSecret(api, bearer, 'LOADED_KEY', 'r0');
    let stopped = false;
    let written = 0;
    const writer = async (w: number) => {
      const own = await createSecret(api, bearer, `LOAD_${w}`, 'x');
      for (let i = 0; !stopped; i++) {
        const result = await rotate(api, bearer, own, `load-${w}-${i}-${'x'.repeat(2_000)}`);
        if (result.outcome === 'OK') written += 1;
      }
    };
    const writers = Array.from({ length: 4 }, (_, w) => writer(w));
    const stale: string[] = [];
    try {
      for (let round = 1; round <= 20; round++) {
        const value = `r${round}`;
        expect((await rotate(api, bearer, id, value)).outcome).toBe('OK');
        const served = await resolveOn(resolvers[round % 2]!, 'LOADED_KEY', `loaded-${round}`);
        if (served !== value) stale.push(`round ${round}: served ${served}`);
      }
    } finally {
      stopped = true;
      await Promise.all(writers);
    }
    expect(stale).toEqual([]);
    expect(written).toBeGreaterThan(20);
  }, 120_000);
});

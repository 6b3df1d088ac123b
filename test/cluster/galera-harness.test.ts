import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGaleraCluster, type GaleraCluster } from './support/galera-cluster.js';

/**
 * The harness itself: three nodes on loopback form one primary component, a write on
 * one node is on the others, and a node killed with `kill -9` is evicted and rejoins.
 */
describe('a three-node Galera cluster on loopback', () => {
  let cluster: GaleraCluster;

  beforeAll(async () => {
    cluster = await startGaleraCluster({ slot: 0 });
  }, 180_000);

  afterAll(async () => {
    await cluster?.destroy();
  }, 60_000);

  it('starts three Synced nodes, running as the mysql user', async () => {
    for (const node of cluster.nodes) {
      expect(await cluster.status(node.index)).toEqual({
        state: 'Synced',
        clusterSize: 3,
        ready: true,
        clusterStatus: 'Primary',
      });
    }
    const rows = (await cluster.query(1, 'SELECT @@wsrep_on AS w, @@wsrep_sst_method AS sst')) as Array<{
      w: number;
      sst: string;
    }>;
    expect(rows[0]).toEqual({ w: 1, sst: 'rsync' });
  });

  it('replicates a write on node 1 to node 3, and a node killed with kill -9 rejoins with what it missed', async () => {
    await cluster.query(0, 'CREATE DATABASE harness');
    await cluster.query(0, 'CREATE TABLE harness.t (id INT PRIMARY KEY, v INT NOT NULL)');
    await cluster.query(0, 'INSERT INTO harness.t VALUES (1, 1)');
    const read = async (node: number) =>
      (
        (await cluster.query(
          node,
          'SET STATEMENT wsrep_sync_wait = 1 FOR SELECT v FROM harness.t WHERE id = 1',
        )) as Array<{ v: number }>
      )[0]?.v;
    expect(await read(2)).toBe(1);

    await cluster.kill(1);
    expect((await cluster.status(0)).clusterSize).toBe(2);
    await cluster.query(2, 'UPDATE harness.t SET v = 2 WHERE id = 1');

    await cluster.restart(1);
    await cluster.waitForSize(3);
    expect(await read(1)).toBe(2);
  });
});

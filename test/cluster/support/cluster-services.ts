import { Trigger } from '../../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { outcomeOf } from '../../api/api-harness.js';
import { startOutageServices, type OutageServices } from '../../faults/support/outage-services.js';
import { CREATE_SECRET, UPDATE_SECRET_VALUE } from '../../support/graphql-documents.js';
import type { GaleraCluster } from './galera-cluster.js';

export const DATABASE = 'strongroom';

/**
 * Strongroom's services (API and resolver, wired as `strongroom start` wires them) on a
 * cluster: `on(node)` connects to that node only; `on([2, 1, 3])` to a host list in that
 * order (DATABASE_URL `mysql://…@host:port,host:port/…`). The first set migrates the
 * schema (development mode); every later one shares its data dir, and so its keyring.
 */
export async function createClusterServices(cluster: GaleraCluster) {
  await cluster.query(0, `CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const started: OutageServices[] = [];
  const urlOf = (nodes: number | number[]) => {
    const list = Array.isArray(nodes) ? nodes : [nodes];
    return `mysql://root@${list.map((n) => `127.0.0.1:${cluster.nodes[n]!.port}`).join(',')}/${DATABASE}`;
  };
  return {
    async on(nodes: number | number[], env: Record<string, string> = {}): Promise<OutageServices> {
      const shared = started[0] ? { dataDir: started[0].dataDir } : undefined;
      // Above Galera's evs.suspect_timeout (5 s): a commit waiting out a dead peer is not given up on.
      const services = await startOutageServices(
        urlOf(nodes),
        { STRONGROOM_DB_STATEMENT_TIMEOUT_MS: '15000', ...env },
        shared,
      );
      started.push(services);
      return services;
    },
    /** Closes every set, the first (which owns the data dir) last. */
    async close(): Promise<void> {
      for (const services of started.slice(1).reverse()) await services.close().catch(() => {});
      await started[0]?.close().catch(() => {});
    },
  };
}

/** A statement on one node that first waits until the node has applied every committed write set. */
export async function causalQuery<T>(cluster: GaleraCluster, node: number, sql: string): Promise<T[]> {
  return (await cluster.query(node, `SET STATEMENT wsrep_sync_wait = 1 FOR ${sql}`)) as T[];
}

export const runContext = (workspaceId: string, runId = `run-${Date.now()}`) => ({
  workspaceId,
  workflowId: 'wf-cluster',
  runId,
  trigger: Trigger.MANUAL,
  triggeredBy: 'alice',
  workflowOwner: '',
  stepId: '',
});

/** Creates a workspace secret through `services`' API; returns its id. */
export async function createSecret(services: OutageServices, bearer: string, name: string, value: string) {
  const created = await services.gql(bearer, CREATE_SECRET, { i: { name, value } });
  if (outcomeOf(created) !== 'OK') throw new Error(`createSecret ${name}: ${JSON.stringify(created.body)}`);
  return (created.body.data as { createSecret: { id: string } }).createSecret.id;
}

/** Rotates a secret through `services`' API; returns the new version, or the error outcome. */
export async function rotate(services: OutageServices, bearer: string, id: string, value: string) {
  const rotated = await services.gql(bearer, UPDATE_SECRET_VALUE, { i: { id, value } });
  const outcome = outcomeOf(rotated);
  if (outcome !== 'OK') return { outcome, body: rotated.body };
  return {
    outcome,
    version: (rotated.body.data as { updateSecretValue: { version: number } }).updateSecretValue.version,
  };
}

/** Sums a numeric wsrep status counter over the running nodes. */
export async function sumStatus(cluster: GaleraCluster, name: string): Promise<number> {
  let total = 0;
  for (const node of cluster.nodes) {
    if (!node.running()) continue;
    const rows = (await cluster.query(node.index, `SHOW GLOBAL STATUS LIKE '${name}'`)) as Array<{
      Value: string;
    }>;
    total += Number(rows[0]?.Value ?? 0);
  }
  return total;
}

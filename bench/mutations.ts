import { startFloor } from './floors/start-floor.js';
import { runClosedLoop, type LoadResult } from './support/closed-loop.js';
import type { BenchDatabase } from './support/database.js';
import { adminToken, createGraphqlClient } from './support/graphql-client.js';
import type { BenchKeys } from './support/keys.js';
import { figure, type Figure } from './support/report.js';
import { startApi, strongroomEnv } from './support/strongroom.js';

const WORKSPACE = 'ws-mutations';
const IN_FLIGHT = 8;
const VALUE = 'x'.repeat(40);

const CREATE = `mutation ($input: CreateSecretInput!) { createSecret(input: $input) { id version } }`;
const UPDATE = `mutation ($input: UpdateSecretValueInput!) { updateSecretValue(input: $input) { id version } }`;
const FLOOR_INSERT = `mutation ($name: String!, $value: String!) { insert(name: $name, value: $value) }`;

/**
 * createSecret and updateSecretValue per second over real HTTP GraphQL against
 * `strongroom api`, closed loop at 8 in flight, beside a bare Apollo Server whose
 * mutation is one bare INSERT.
 */
export async function benchMutations({
  db,
  keys,
  seconds,
}: {
  db: BenchDatabase;
  keys: BenchKeys;
  seconds: number;
}): Promise<{ figures: Figure[]; raw: Record<string, LoadResult> }> {
  const base = strongroomEnv(db, keys);
  const token = await adminToken(base.dataDir, WORKSPACE);
  const api = await startApi(base);
  const ids: string[] = [];
  let create: LoadResult;
  let update: LoadResult;
  try {
    const gql = createGraphqlClient(api.url, token);
    const createOne = async (name: string) => {
      const data = await gql<{ createSecret: { id: string } }>(CREATE, { input: { name, value: VALUE } });
      ids.push(data.createSecret.id);
    };
    await runClosedLoop('warm-up', (w, n) => createOne(`WARM_${w}_${n}`), {
      inFlight: IN_FLIGHT,
      seconds: Math.min(2, seconds),
    });
    create = await runClosedLoop('createSecret', (w, n) => createOne(`MUT_${w}_${n}`), {
      inFlight: IN_FLIGHT,
      seconds,
    });
    // Each worker rotates its own stride of secrets, so workers do not queue on one row lock.
    update = await runClosedLoop(
      'updateSecretValue',
      (w, n) => gql(UPDATE, { input: { id: ids[(n * IN_FLIGHT + w) % ids.length], value: `${VALUE}-${n}` } }),
      { inFlight: IN_FLIGHT, seconds },
    );
  } finally {
    await api.child.stop();
  }

  const floorServer = await startFloor('bench/floors/bare-graphql-server.ts', { DATABASE_URL: db.url });
  let floor: LoadResult;
  try {
    const gql = createGraphqlClient(floorServer.address);
    const insert = (w: number, n: number) => gql(FLOOR_INSERT, { name: `F_${w}_${n}`, value: VALUE });
    await runClosedLoop('floor insert', insert, { inFlight: IN_FLIGHT, seconds: Math.min(2, seconds) });
    floor = await runClosedLoop('floor insert', insert, { inFlight: IN_FLIGHT, seconds });
  } finally {
    await floorServer.child.stop();
  }

  const bare = { name: 'bare Apollo INSERT', value: floor.callsPerSecond };
  return {
    figures: [
      figure({
        figure: `createSecret @${IN_FLIGHT} in flight`,
        unit: '/s',
        value: create.callsPerSecond,
        floor: bare,
      }),
      figure({
        figure: `updateSecretValue @${IN_FLIGHT} in flight`,
        unit: '/s',
        value: update.callsPerSecond,
        floor: bare,
      }),
    ],
    raw: { createSecret: create, updateSecretValue: update, floor },
  };
}

import { performance } from 'node:perf_hooks';
import { startFloor } from './floors/start-floor.js';
import type { BenchDatabase } from './support/database.js';
import { adminToken, createGraphqlClient, type GraphqlRequest } from './support/graphql-client.js';
import type { BenchKeys } from './support/keys.js';
import { belowFigure, figure, type Figure } from './support/report.js';
import { seedSecrets } from './support/seed.js';
import { quantile } from './support/stats.js';
import { startApi, strongroomEnv } from './support/strongroom.js';

const WORKSPACE = 'ws-listing';
const SECRETS = 10_000;
const PASSES = 3;

const PAGE = `query ($after: String) {
  secrets(first: 100, after: $after) {
    edges { cursor node { id name scope version maskedPreview updatedAt members { userId } } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;
const FLOOR_PAGE = `query ($workspaceId: String!, $after: String) { page(workspaceId: $workspaceId, after: $after) { id name } }`;

/** Times every page of one full walk; `next` returns the following cursor, or null at the end. */
async function walk(next: (after: string | null) => Promise<string | null>): Promise<number[]> {
  const times: number[] = [];
  for (let after: string | null = null, first = true; first || after !== null; first = false) {
    const t0 = performance.now();
    after = await next(after);
    times.push(performance.now() - t0);
  }
  return times;
}

/** Walks all pages PASSES times (the first only warms up) and returns the page times of the rest. */
async function timePages(next: (after: string | null) => Promise<string | null>): Promise<number[]> {
  await walk(next);
  const times: number[] = [];
  for (let i = 1; i < PASSES; i += 1) times.push(...(await walk(next)));
  return times;
}

/**
 * `secrets(first: 100)` paging through 10,000 secrets over HTTP GraphQL, one page at a
 * time, beside a bare Apollo Server answering each page with one keyset SELECT.
 */
export async function benchListing({
  db,
  keys,
}: {
  db: BenchDatabase;
  keys: BenchKeys;
}): Promise<{ figures: Figure[]; raw: Record<string, { pages: number; p50Ms: number; p99Ms: number }> }> {
  await seedSecrets(db.pool, keys.cipher(), {
    workspaceId: WORKSPACE,
    count: SECRETS,
    prefix: 'LIST',
    tagState: await keys.stateTagger(db.pool),
  });
  const base = strongroomEnv(db, keys);
  const token = await adminToken(base.dataDir, WORKSPACE);
  const api = await startApi(base);
  let real: number[];
  try {
    const gql: GraphqlRequest = createGraphqlClient(api.url, token);
    real = await timePages(async (after) => {
      const { secrets } = await gql<{
        secrets: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      }>(PAGE, { after });
      if (secrets.edges.length === 0) throw new Error('empty page');
      return secrets.pageInfo.hasNextPage ? secrets.pageInfo.endCursor : null;
    });
  } finally {
    await api.child.stop();
  }
  const floorServer = await startFloor('bench/floors/bare-graphql-server.ts', { DATABASE_URL: db.url });
  let floor: number[];
  try {
    const gql = createGraphqlClient(floorServer.address);
    floor = await timePages(async (after) => {
      const { page } = await gql<{ page: Array<{ name: string }> }>(FLOOR_PAGE, {
        workspaceId: WORKSPACE,
        after,
      });
      return page.length === 100 ? page.at(-1)!.name : null;
    });
  } finally {
    await floorServer.child.stop();
  }
  const summary = (times: number[]) => ({
    pages: times.length,
    p50Ms: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
  });
  const [r, f] = [summary(real), summary(floor)];
  return {
    figures: [
      figure({
        figure: 'listing page of 100 (10k secrets) p50',
        unit: 'ms',
        value: r.p50Ms,
        floor: { name: 'bare Apollo SELECT', value: f.p50Ms },
      }),
      belowFigure(
        {
          figure: 'listing page of 100 (10k secrets) p99',
          unit: 'ms',
          value: r.p99Ms,
          floor: { name: 'bare Apollo SELECT', value: f.p99Ms },
        },
        50,
      ),
    ],
    raw: { strongroom: r, floor: f },
  };
}

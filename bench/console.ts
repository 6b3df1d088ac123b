import { ensureConsoleBuilt } from '../services/cli/console-build.js';
import { launchChromium } from '../test/console/support/chromium.js';
import type { BenchDatabase } from './support/database.js';
import { adminToken } from './support/graphql-client.js';
import type { BenchKeys } from './support/keys.js';
import { belowFigure, type Figure } from './support/report.js';
import { seedSecrets } from './support/seed.js';
import { quantile } from './support/stats.js';
import { startApi, strongroomEnv } from './support/strongroom.js';

const WORKSPACE = 'ws-console';
const SECRETS = 10_000;
/** Page loads timed after the first (a cold browser cache), which is reported on its own. */
const LOADS = 10;

/**
 * Installed in every page before its own scripts (through the DevTools protocol, so the
 * console's CSP does not apply to it): records `performance.now()` — milliseconds since
 * the navigation started — when the first saved row of the Workspace table is in the DOM.
 * A string, not a function: tsx would wrap a function in helpers the page does not have.
 */
const RECORD_FIRST_ROWS = `
  const observer = new MutationObserver(() => {
    if (document.querySelector('.secrets-table tbody tr .key')) {
      window.firstRowsAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
`;

/**
 * The budget for the console: the secrets page of a workspace with 10,000
 * secrets shows its first rows within 1 s on localhost, from navigation start (HTML,
 * JavaScript, token, the first GraphQL page with its total count, render) — measured
 * in Debian's Chromium against `strongroom api` on the bench MariaDB.
 */
export async function benchConsole({ db, keys }: { db: BenchDatabase; keys: BenchKeys }): Promise<{
  figures: Figure[];
  raw: { coldMs: number; warmMs: number[] };
}> {
  await ensureConsoleBuilt();
  await seedSecrets(db.pool, keys.cipher(), {
    workspaceId: WORKSPACE,
    count: SECRETS,
    prefix: 'CONSOLE',
    tagState: await keys.stateTagger(db.pool),
  });
  const base = strongroomEnv(db, keys);
  const token = await adminToken(base.dataDir, WORKSPACE);
  const api = await startApi(base);
  // A first request warms the API process (JIT, the ORM's metadata, the database's pages),
  // so that the cold figure is the browser's cold start, not a just-started server's.
  for (let i = 0; i < 3; i += 1) {
    const warm = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ secrets(first: 50) { totalCount edges { node { id name } } } }' }),
    });
    if (!warm.ok) throw new Error(`warming the API failed: HTTP ${warm.status}`);
    await warm.text();
  }
  const browser = await launchChromium();
  try {
    await browser.context.addInitScript(RECORD_FIRST_ROWS);
    const origin = new URL(api.url).origin;
    const times: number[] = [];
    for (let i = 0; i <= LOADS; i += 1) {
      const page = await browser.context.newPage();
      await page.goto(`${origin}/#token=${token}`);
      // Functions, not strings: the page's CSP rightly refuses to eval a string.
      await page.waitForFunction(() => (globalThis as { firstRowsAt?: number }).firstRowsAt !== undefined);
      times.push(await page.evaluate(() => (globalThis as unknown as { firstRowsAt: number }).firstRowsAt));
      await page.close();
    }
    const [coldMs, ...warmMs] = times as [number, ...number[]];
    return {
      figures: [
        belowFigure(
          { figure: 'console first rows, 10k secrets, cold cache', unit: 'ms', value: coldMs },
          1000,
        ),
        belowFigure(
          { figure: 'console first rows, 10k secrets, p50', unit: 'ms', value: quantile(warmMs, 0.5) },
          1000,
        ),
        belowFigure(
          { figure: 'console first rows, 10k secrets, max', unit: 'ms', value: Math.max(...warmMs) },
          1000,
        ),
      ],
      raw: { coldMs, warmMs },
    };
  } finally {
    await browser.close();
    await api.child.stop();
  }
}

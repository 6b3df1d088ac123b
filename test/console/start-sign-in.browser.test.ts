import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnCli, untilReady, waitFor, type CliProcess } from '../support/cli-process.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { launchChromium } from './support/chromium.js';

/**
 * `strongroom start` (what `npm start` runs) as a process: it prints the development
 * sign-in link, and that link, opened in Chromium, signs in to the console it serves.
 */
describe.each(DATABASE_KINDS)('the sign-in link strongroom start prints, on %s', (kind) => {
  let dataDir: string;
  let db: TestDatabase;
  let start: CliProcess | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'strongroom-start-console-'));
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await browser?.close();
    await start?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'prints a link that signs the development admin in, and the token leaves the address bar',
    { timeout: 90_000 },
    async () => {
      const port = await freePort();
      start = spawnCli(['start'], {
        STRONGROOM_DATA_DIR: dataDir,
        DATABASE_URL: db.config.kind === 'sqlite' ? `sqlite:${db.config.path}` : db.config.url,
        STRONGROOM_API_PORT: String(port),
        STRONGROOM_RESOLVER_PORT: String(await freePort()),
        STRONGROOM_RESOLVER_METRICS_PORT: String(await freePort()),
      });
      await untilReady(start, port, 60_000);
      const link = await waitFor(async () => {
        const found = /Admin console \(development sign-in link\): (http:\/\/localhost:\d+\/#token=\S+)/.exec(
          start!.stdout(),
        );
        if (!found) throw new Error(`no sign-in link yet:\n${start!.stdout()}`);
        return found[1]!;
      }, 20_000);
      expect(link.startsWith(`http://localhost:${port}/#token=`)).toBe(true);

      browser = await launchChromium();
      const page = await browser.context.newPage();
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor({ timeout: 15_000 });
      await page.getByText('alice · admin · ws1').waitFor();
      expect(page.url()).toBe(`http://localhost:${port}/`);
      await page.getByRole('region', { name: 'Workspace' }).getByText('No workspace secrets yet.').waitFor();
      // The printed token is the only one the page holds, in this tab's sessionStorage.
      expect(await page.evaluate(() => Object.values(window.sessionStorage))).toEqual([
        link.split('#token=')[1],
      ]);
    },
  );
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomeOf, startApi, type ApiHarness } from '../api/api-harness.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { launchChromium } from './support/chromium.js';
import { openConsoleAs, seriousAccessibilityViolations, waitForMessage } from './support/console-page.js';

const CANARY = 'versions-canary-7e1d0c';
const CREATE = `mutation($i: CreateSecretInput!) { createSecret(input: $i) { id } }`;
const ROTATE = `mutation($i: UpdateSecretValueInput!) { updateSecretValue(input: $i) { version } }`;
const FACTS = `query($id: ID!) { secret(id: $id) { version expiresAt rotationIntervalDays rotationDueAt
  versions(first: 10) { edges { node { version restoredFrom destroyed } } } } }`;

/** SPEC §12 Details: versions to restore or destroy, expiry and the rotation reminder, in Chromium. */
describe.each(DATABASE_KINDS)('versions and expiry in the console on %s', (kind) => {
  let api: ApiHarness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let admin: string;
  let id: string;
  const pages: Page[] = [];

  const open = async (role: 'admin' | 'member') => {
    const page = await openConsoleAs(browser.context, api, {
      sub: role === 'admin' ? 'alice' : 'bob',
      wid: 'ws1',
      role,
    });
    page.setDefaultTimeout(10_000);
    pages.push(page);
    await page.goto(`http://127.0.0.1:${api.port}/#/secret/${id}`);
    await page.getByRole('heading', { level: 1, name: 'VERSIONED' }).waitFor();
    await page.getByRole('heading', { name: 'Versions' }).waitFor();
    await page.locator('.versions-table tbody tr').first().waitFor();
    return page;
  };
  const facts = async () => (await api.gql(admin, FACTS, { id })).body.data!.secret;

  beforeAll(async () => {
    api = await startApi(kind);
    admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    const created = await api.gql(admin, CREATE, { i: { name: 'VERSIONED', value: `${CANARY}-v1` } });
    id = created.body.data!.createSecret.id;
    for (const v of [2, 3])
      expect(outcomeOf(await api.gql(admin, ROTATE, { i: { id, value: `${CANARY}-v${v}` } }))).toBe('OK');
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const page of pages) await page.close();
    await browser?.close();
    await api?.close();
  });

  it('lists the versions newest first; an admin restores v1 as a new version and destroys v2 after confirming', async () => {
    const page = await open('admin');
    const rows = page.locator('.versions-table tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual(['v3current', 'v2', 'v1']);

    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await waitForMessage(page, /Restored version 1 of VERSIONED as version 4\./);
    await page.locator('.versions-table tbody tr th', { hasText: 'restored from v1' }).waitFor();
    expect(await rows.first().locator('th').textContent()).toBe('v4current · restored from v1');

    await page.getByRole('button', { name: 'Destroy version 2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Destroy version 2 of VERSIONED?' });
    await dialog.getByRole('button', { name: 'Destroy version 2' }).click();
    await waitForMessage(page, /Destroyed the value of version 2 of VERSIONED\./);
    await rows.filter({ hasText: 'destroyed' }).waitFor();
    // Neither the current version nor a destroyed one can be restored or destroyed again.
    for (const name of ['Restore version 4', 'Destroy version 4', 'Restore version 2', 'Destroy version 2'])
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);

    const after = await facts();
    expect(after.version).toBe(4);
    expect(after.versions.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { version: 4, restoredFrom: 1, destroyed: false },
      { version: 3, restoredFrom: null, destroyed: false },
      { version: 2, restoredFrom: null, destroyed: true },
      { version: 1, restoredFrom: null, destroyed: false },
    ]);
    expect(await page.content()).not.toContain(CANARY);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('an admin sets an expiry and a rotation reminder, and clears the expiry again', async () => {
    const page = await open('admin');
    const nextYear = new Date().getFullYear() + 1;
    await page.getByLabel('Expires at (empty: never)').fill(`${nextYear}-06-30T12:00`);
    await page.getByLabel('Remind to rotate every (days; empty: no reminder)').fill('30');
    await page.getByRole('button', { name: 'Save expiry' }).click();
    await waitForMessage(page, /Saved the expiry and reminder of VERSIONED\./);
    const set = await facts();
    expect(new Date(set.expiresAt).getFullYear()).toBe(nextYear);
    expect(set.rotationIntervalDays).toBe(30);
    expect(set.rotationDueAt).not.toBeNull();
    await page.getByText('(every 30 days)').waitFor();

    await page.getByLabel('Expires at (empty: never)').fill('');
    await page.getByRole('button', { name: 'Save expiry' }).click();
    // The message of the first save is still up; the facts say when the second one is done.
    await page
      .getByRole('region', { name: 'Expiry and rotation' })
      .getByText('Never', { exact: true })
      .waitFor();
    expect(await facts()).toMatchObject({ expiresAt: null, rotationIntervalDays: 30 });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('a member sees the versions and the expiry, with nothing to change', async () => {
    const page = await open('member');
    await page.getByText('Rotation due').waitFor();
    for (const name of ['Restore version 1', 'Destroy version 1', 'Save expiry'])
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByLabel('Expires at (empty: never)').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});

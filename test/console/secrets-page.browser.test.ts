import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devConsoleSignInLink } from '../../services/cli/console-sign-in.js';
import { outcomeOf, startApi, type ApiHarness } from '../api/api-harness.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { launchChromium } from './support/chromium.js';
import {
  pasteInto,
  rowOf,
  section,
  seriousAccessibilityViolations,
  waitForMessage,
} from './support/console-page.js';

const SECRET = `query($id: ID!) { secret(id: $id) { name displayName description version members { userId role } } }`;
const LIST = `query { secrets(first: 100) { totalCount edges { node { id name version } } } }`;

/**
 * The secrets page in Debian's Chromium against the real API process (SPEC §12), as a
 * workspace admin: the steps follow one another on one page, as a person would go.
 */
describe.each(DATABASE_KINDS)('the admin console in Chromium, as a workspace admin, on %s', (kind) => {
  let api: ApiHarness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let admin: string;

  const secretsByName = async () => {
    const r = await api.gql(admin, LIST);
    return new Map(
      (r.body.data!.secrets.edges as Array<{ node: { id: string; name: string; version: number } }>).map(
        (e) => [e.node.name, e.node],
      ),
    );
  };

  beforeAll(async () => {
    api = await startApi(kind);
    admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    const integration = await api.token({ sub: 'svc-slack', wid: 'ws1', scope: 'secrets:system' });
    const registered = await api.gql(
      integration,
      `mutation($i: RegisterSystemSecretInput!) { registerSystemSecret(input: $i) { id } }`,
      { i: { integration: 'slack', name: 'SLACK_BOT_TOKEN', value: 'xoxb-registered-by-the-integration' } },
    );
    expect(outcomeOf(registered)).toBe('OK');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('signs in from the link npm start prints, and takes the token out of the address bar', async () => {
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    const link = await devConsoleSignInLink(api.runtime.config, api.port);
    expect(link).toMatch(new RegExp(`^http://localhost:${api.port}/#token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();
    expect(page.url()).toBe(`http://localhost:${api.port}/`);
    expect(await page.evaluate(() => Object.keys(window.sessionStorage))).toEqual([
      'strongroom.console.token',
    ]);
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    await page.getByText('alice · admin · ws1').waitFor();
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(1);
  });

  it('adds two secrets through the growing empty row and Save; they show masked previews', async () => {
    const workspace = section(page, 'Workspace');
    await workspace.getByText('No workspace secrets yet.').waitFor();
    expect(await workspace.getByRole('textbox', { name: 'Key' }).count()).toBe(1);
    await workspace.getByRole('textbox', { name: 'Key' }).last().fill('STRIPE_KEY');
    // Typing into the last row adds another empty one.
    await expect.poll(() => workspace.getByRole('textbox', { name: 'Key' }).count()).toBe(2);
    await workspace.getByLabel('Value', { exact: true }).first().fill('sk_live_0123456789abcdefWXYZ');
    await workspace.getByRole('textbox', { name: 'Description' }).first().fill('Charges customers');
    await workspace.getByRole('textbox', { name: 'Key' }).last().fill('SHORT_ONE');
    await workspace.getByLabel('Value', { exact: true }).nth(1).fill('short');
    expect(await workspace.getByLabel('Value', { exact: true }).first().getAttribute('type')).toBe(
      'password',
    );
    expect(await workspace.getByLabel('Value', { exact: true }).first().getAttribute('autocomplete')).toBe(
      'off',
    );

    await workspace.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForMessage(page, /Saved 2 secrets\./);
    await rowOf(workspace, 'STRIPE_KEY').waitFor();
    const stripePreview = await rowOf(workspace, 'STRIPE_KEY').locator('.masked').textContent();
    expect(stripePreview).toMatch(/^•+WXYZ$/);
    expect(await rowOf(workspace, 'SHORT_ONE').locator('.masked').textContent()).toMatch(/^•+$/);
    expect(await rowOf(workspace, 'STRIPE_KEY').textContent()).toContain('Charges customers');
    // The values are gone from the page: only one empty row is left.
    expect(await workspace.getByLabel('Value', { exact: true }).count()).toBe(1);
    expect(await workspace.getByLabel('Value', { exact: true }).inputValue()).toBe('');
    const stored = await secretsByName();
    expect([...stored.keys()].sort()).toEqual(['SHORT_ONE', 'STRIPE_KEY']);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('adds a secret with the keyboard alone: Add secret, type, Tab, type, Enter', async () => {
    const workspace = section(page, 'Workspace');
    await workspace.getByRole('button', { name: 'Add secret' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('KEYBOARD_ONLY');
    await page.keyboard.press('Tab');
    await page.keyboard.type('typed-with-the-keyboard');
    await page.keyboard.press('Enter');
    await rowOf(workspace, 'KEYBOARD_ONLY').waitFor();
    expect((await secretsByName()).has('KEYBOARD_ONLY')).toBe(true);
  });

  it('previews a .env pasted into a Key field with a dry run, offers the conflict rule, then imports', async () => {
    const workspace = section(page, 'Workspace');
    const before = await secretsByName();
    const dotenv = [
      'DATABASE_URL=postgres://app:pw@db.internal:5432/app',
      'export REDIS_URL="redis://cache.internal:6379"',
      "SENDGRID_KEY='SG.abcdefghijklmnop'",
      'STRIPE_KEY=sk_live_would_overwrite_the_existing_one',
      'FEATURE_FLAG_TOKEN=ff_123 # the rest is a comment',
    ].join('\n');
    const key = workspace.getByRole('textbox', { name: 'Key' }).last();
    await pasteInto(key, dotenv);
    const dialog = page.getByRole('dialog', { name: 'Import from .env' });
    await dialog.waitFor();
    // The pasted text went to the preview, not into the field.
    expect(await key.inputValue()).toBe('');
    expect(await dialog.getByRole('listitem').allTextContents()).toEqual([
      'DATABASE_URL',
      'REDIS_URL',
      'SENDGRID_KEY',
      'STRIPE_KEY',
      'FEATURE_FLAG_TOKEN',
    ]);
    await dialog.getByText('Preview: 4 new secrets, 0 updated, 1 skipped.').waitFor();
    await dialog.getByRole('radio', { name: /Overwrite existing names/ }).check();
    await dialog.getByText('Preview: 4 new secrets, 1 updated, 0 skipped.').waitFor();
    await dialog.getByRole('radio', { name: /Import nothing if a name exists/ }).check();
    await dialog.getByText(/Line 4: STRIPE_KEY already exists/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    // Three previews, and nothing was written.
    expect(await secretsByName()).toEqual(before);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await dialog.getByRole('radio', { name: /Skip existing names/ }).check();
    await dialog.getByText('Preview: 4 new secrets, 0 updated, 1 skipped.').waitFor();
    await dialog.getByRole('button', { name: 'Import' }).click();
    await waitForMessage(page, /Imported: 4 new secrets, 0 updated, 1 skipped\./);
    expect(await dialog.count()).toBe(0);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'SENDGRID_KEY', 'FEATURE_FLAG_TOKEN'])
      await rowOf(workspace, name).waitFor();
    const after = await secretsByName();
    expect(after.size).toBe(before.size + 4);
    expect(after.get('STRIPE_KEY')!.version).toBe(1);
  });

  it('searches by name', async () => {
    const workspace = section(page, 'Workspace');
    await page.getByRole('searchbox', { name: 'Search by name' }).fill('URL');
    await expect
      .poll(async () => (await workspace.locator('tbody tr .key').allTextContents()).sort())
      .toEqual(['DATABASE_URL', 'REDIS_URL']);
    await page.getByRole('searchbox', { name: 'Search by name' }).fill('');
    await rowOf(workspace, 'STRIPE_KEY').waitFor();
  });

  it('shows system-managed secrets only when asked, read-only and with their integration', async () => {
    const workspace = section(page, 'Workspace');
    expect(await rowOf(workspace, 'SLACK_BOT_TOKEN').count()).toBe(0);
    await page.getByRole('switch', { name: 'Show system-managed secrets' }).check();
    const row = rowOf(workspace, 'SLACK_BOT_TOKEN');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/System-managed · slack · read-only/);
    await row.getByRole('link', { name: /Details/ }).click();
    await page.getByRole('heading', { level: 1, name: 'SLACK_BOT_TOKEN' }).waitFor();
    await page.getByText(/The slack integration manages this secret/).waitFor();
    for (const control of ['Update value', 'Delete secret', 'Save', 'Add member'])
      expect(await page.getByRole('button', { name: control }).count(), control).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Display Name' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Back to secrets' }).click();
    await page.getByRole('switch', { name: 'Show system-managed secrets' }).uncheck();
    await expect.poll(() => rowOf(section(page, 'Workspace'), 'SLACK_BOT_TOKEN').count()).toBe(0);
  });

  it('edits Display Name and Description in Details', async () => {
    await rowOf(section(page, 'Workspace'), 'STRIPE_KEY')
      .getByRole('link', { name: /Details/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'STRIPE_KEY' }).waitFor();
    await page.getByRole('textbox', { name: 'Display Name' }).fill('Stripe live key');
    await page
      .getByRole('textbox', { name: 'Description' })
      .fill('Charges customers in the checkout journey');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForMessage(page, /Saved the details of STRIPE_KEY\./);
    await page.getByRole('heading', { level: 1, name: 'Stripe live key' }).waitFor();
    const id = (await secretsByName()).get('STRIPE_KEY')!.id;
    const stored = (await api.gql(admin, SECRET, { id })).body.data!.secret;
    expect(stored).toMatchObject({
      displayName: 'Stripe live key',
      description: 'Charges customers in the checkout journey',
    });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('adds a member with a role, changes the role, and removes the member', async () => {
    const id = (await secretsByName()).get('STRIPE_KEY')!.id;
    await page.getByRole('textbox', { name: 'User ID' }).fill('bob');
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('ADMIN');
    await page.getByRole('button', { name: 'Add member' }).click();
    await waitForMessage(page, /Added bob as Admin\./);
    await page.getByText(/Restricted: only these members/).waitFor();
    expect((await api.gql(admin, SECRET, { id })).body.data!.secret.members).toEqual([
      { userId: 'bob', role: 'ADMIN' },
    ]);
    await page.getByRole('combobox', { name: 'Role of bob' }).selectOption('MEMBER');
    await waitForMessage(page, /bob is now Member\./);
    expect((await api.gql(admin, SECRET, { id })).body.data!.secret.members).toEqual([
      { userId: 'bob', role: 'MEMBER' },
    ]);
    await page.getByRole('button', { name: 'Remove bob' }).click();
    await waitForMessage(page, /Removed bob\./);
    await page.getByText(/No members: everyone in the workspace/).waitFor();
    expect((await api.gql(admin, SECRET, { id })).body.data!.secret.members).toEqual([]);
  });

  it('rotates the value: Update value stores version 2 and empties the field', async () => {
    const id = (await secretsByName()).get('STRIPE_KEY')!.id;
    const field = page.getByLabel('New value', { exact: true });
    expect(await page.getByRole('button', { name: 'Update value' }).isDisabled()).toBe(true);
    await field.fill('sk_live_rotated_value_0123456789ABCD');
    await page.getByRole('button', { name: 'Update value' }).click();
    await waitForMessage(page, /Stored the new value of STRIPE_KEY as version 2\./);
    expect(await page.getByLabel('New value', { exact: true }).inputValue()).toBe('');
    expect((await api.gql(admin, SECRET, { id })).body.data!.secret.version).toBe(2);
    // The new preview in the facts, and as the current version in the versions table.
    await page.locator('.facts .masked', { hasText: /ABCD$/ }).waitFor();
    await page.locator('.versions-table tbody tr').first().locator('.masked', { hasText: /ABCD$/ }).waitFor();
  });

  it('deletes only after a confirmation that names the secret and warns about referencing workflows', async () => {
    await page.getByRole('button', { name: 'Delete secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete STRIPE_KEY?' });
    await dialog.waitFor();
    const text = await dialog.textContent();
    expect(text).toContain('{{secrets.STRIPE_KEY}}');
    expect(text).toMatch(/will fail their check for missing secrets/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(0);
    expect((await secretsByName()).has('STRIPE_KEY')).toBe(true);

    await page.getByRole('button', { name: 'Delete secret' }).click();
    await dialog.getByRole('button', { name: 'Delete STRIPE_KEY' }).click();
    await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();
    await waitForMessage(page, /Deleted STRIPE_KEY\./);
    expect((await secretsByName()).has('STRIPE_KEY')).toBe(false);
    expect(await rowOf(section(page, 'Workspace'), 'STRIPE_KEY').count()).toBe(0);
  });

  it('keeps personal secrets in their own section', async () => {
    const personal = section(page, 'Personal');
    await personal.getByRole('textbox', { name: 'Key' }).last().fill('MY_TEST_KEY');
    await personal.getByLabel('Value', { exact: true }).first().fill('personal-test-value');
    await personal.getByRole('button', { name: 'Save', exact: true }).click();
    await rowOf(personal, 'MY_TEST_KEY').waitFor();
    expect(await rowOf(section(page, 'Workspace'), 'MY_TEST_KEY').count()).toBe(0);
    const mine = await api.gql(
      admin,
      `query { secrets(filter: { scope: PERSONAL }) { edges { node { name ownerId } } } }`,
    );
    expect(mine.body.data!.secrets.edges).toEqual([{ node: { name: 'MY_TEST_KEY', ownerId: 'alice' } }]);
  });
});

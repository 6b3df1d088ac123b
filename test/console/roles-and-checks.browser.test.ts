import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomeOf, startApi, type ApiHarness } from '../api/api-harness.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { launchChromium } from './support/chromium.js';
import {
  openConsoleAs,
  rowOf,
  section,
  seriousAccessibilityViolations,
  waitForMessage,
} from './support/console-page.js';

const CREATE = `mutation($i: CreateSecretInput!) { createSecret(input: $i) { id } }`;

/**
 * What each caller is offered (SPEC §4 mirrored by the console; the API still decides),
 * the reference check with its `{{` picker, and the audit log for `audit:read`.
 */
describe.each(DATABASE_KINDS)(
  'the console for each role, the reference check and the audit log on %s',
  (kind) => {
    let api: ApiHarness;
    let browser: Awaited<ReturnType<typeof launchChromium>>;
    const pages: Page[] = [];
    const ids: Record<string, string> = {};

    const open = async (claims: Parameters<ApiHarness['token']>[0]) => {
      const page = await openConsoleAs(browser.context, api, claims);
      page.setDefaultTimeout(10_000);
      pages.push(page);
      return page;
    };

    beforeAll(async () => {
      api = await startApi(kind);
      const admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
      const bob = await api.token({ sub: 'bob', wid: 'ws1', role: 'member' });
      for (const name of ['STRIPE_KEY', 'OPENAI_KEY']) {
        const r = await api.gql(admin, CREATE, {
          i: { name, value: `${name.toLowerCase()}-value-0123456789` },
        });
        ids[name] = r.body.data!.createSecret.id;
      }
      expect(
        outcomeOf(
          await api.gql(bob, CREATE, { i: { name: 'BOB_PERSONAL', value: 'bobs-own', scope: 'PERSONAL' } }),
        ),
      ).toBe('OK');
      // bob is an ADMIN member of OPENAI_KEY only: he may manage that one secret.
      const member = await api.gql(
        admin,
        `mutation($i: AddSecretMemberInput!) { addSecretMember(input: $i) { id } }`,
        { i: { secretId: ids.OPENAI_KEY, userId: 'bob', role: 'ADMIN' } },
      );
      expect(outcomeOf(member)).toBe('OK');
      browser = await launchChromium();
    });
    afterAll(async () => {
      for (const page of pages) await page.close();
      await browser?.close();
      await api?.close();
    });

    it('offers a member no admin-only control: nothing to add to Workspace, no edit of its secrets', async () => {
      const page = await open({ sub: 'bob', wid: 'ws1', role: 'member' });
      const workspace = section(page, 'Workspace');
      await rowOf(workspace, 'STRIPE_KEY').waitFor();
      await workspace.getByText('Only workspace admins add them.').waitFor();
      for (const name of ['Add secret', 'Save'])
        expect(await workspace.getByRole('button', { name, exact: true }).count(), name).toBe(0);
      expect(await workspace.getByRole('textbox', { name: 'Key' }).count()).toBe(0);
      // Personal secrets are the member's own to add.
      const personal = section(page, 'Personal');
      await rowOf(personal, 'BOB_PERSONAL').waitFor();
      expect(await personal.getByRole('button', { name: 'Add secret' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await rowOf(workspace, 'STRIPE_KEY')
        .getByRole('link', { name: /Details/ })
        .click();
      await page.getByRole('heading', { level: 1, name: 'STRIPE_KEY' }).waitFor();
      await page.getByText('Value and history').waitFor();
      for (const name of ['Save', 'Update value', 'Delete secret', 'Add member'])
        expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
      expect(await page.getByRole('textbox', { name: 'Display Name' }).count()).toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Where bob is an ADMIN member, the controls are there: the mirror follows the API's rule.
      await page.goto(`http://127.0.0.1:${api.port}/#/secret/${ids.OPENAI_KEY}`);
      await page.getByRole('heading', { level: 1, name: 'OPENAI_KEY' }).waitFor();
      for (const name of ['Update value', 'Delete secret', 'Add member'])
        expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    });

    it('offers an external member nothing to add, in either section', async () => {
      const page = await open({ sub: 'eve', wid: 'ws1', role: 'external' });
      await rowOf(section(page, 'Workspace'), 'STRIPE_KEY').waitFor();
      await section(page, 'Personal').getByText('External members keep no personal secrets.').waitFor();
      expect(await page.getByRole('button', { name: 'Add secret' }).count()).toBe(0);
      expect(await page.getByRole('textbox', { name: 'Key' }).count()).toBe(0);
    });

    it('checks a journey definition: both reference forms, resolvable or missing for the trigger and user', async () => {
      const page = await open({ sub: 'bob', wid: 'ws1', role: 'member' });
      await page.getByRole('link', { name: 'Reference check' }).click();
      await page.getByRole('heading', { level: 1, name: 'Reference check' }).waitFor();
      const definition = [
        'values:',
        '  api_key:',
        '    source: secret',
        '    name: STRIPE_KEY',
        '  mine: { source: secret, name: BOB_PERSONAL }',
        'steps:',
        '  - headers:',
        '      Authorization: "Bearer {{ secrets.OPENAI_KEY }}"',
        '      X-Gone: "{{secrets.DELETED_LONG_AGO}}"',
      ].join('\n');
      await page.getByRole('textbox', { name: 'Workflow definition' }).fill(definition);
      // Only admins check another user's runs: a member checks as himself.
      const user = page.getByRole('textbox', { name: 'User', exact: true });
      expect(await user.inputValue()).toBe('bob');
      expect(await user.getAttribute('readonly')).not.toBeNull();
      await page.getByRole('combobox', { name: 'Trigger' }).selectOption('MANUAL');
      await page.getByRole('button', { name: 'Check references' }).click();
      await waitForMessage(page, /1 of 4 referenced secrets is missing\./);
      const results = page.getByRole('table', { name: 'Referenced secrets' });
      const verdicts = Object.fromEntries(
        await results
          .locator('tbody tr')
          .evaluateAll((rows) =>
            rows.map((row) => [row.querySelector('th')!.textContent, row.querySelector('td')!.textContent]),
          ),
      );
      expect(verdicts).toEqual({
        OPENAI_KEY: 'Resolvable · workspace',
        DELETED_LONG_AGO: 'Missing',
        STRIPE_KEY: 'Resolvable · workspace',
        BOB_PERSONAL: 'Resolvable · personal',
      });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    });

    it('opens the {{ picker on typing, workspace secrets first, and inserts a reference with the keyboard', async () => {
      const page = pages.at(-1)!;
      const field = page.getByRole('textbox', { name: 'Workflow definition' });
      await field.fill('');
      await field.focus();
      await page.keyboard.type('Authorization: Bearer {{');
      const picker = page.getByRole('listbox', { name: 'Secrets you can reference' });
      await picker.waitFor();
      expect(
        await picker
          .getByRole('group')
          .evaluateAll((groups) => groups.map((g) => g.getAttribute('aria-label'))),
      ).toEqual(['Workspace', 'Personal']);
      expect(await picker.getByRole('option').allTextContents()).toEqual([
        'OPENAI_KEY',
        'STRIPE_KEY',
        'BOB_PERSONAL',
      ]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.keyboard.type('STR');
      await expect.poll(() => picker.getByRole('option').allTextContents()).toEqual(['STRIPE_KEY']);
      await page.keyboard.press('Enter');
      expect(await field.inputValue()).toBe('Authorization: Bearer {{secrets.STRIPE_KEY}}');
      expect(await picker.count()).toBe(0);
      // Arrow keys choose, Escape closes.
      await page.keyboard.type(' {{');
      await picker.waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      expect(await field.inputValue()).toBe(
        'Authorization: Bearer {{secrets.STRIPE_KEY}} {{secrets.STRIPE_KEY}}',
      );
      await page.keyboard.type(' {{');
      await picker.waitFor();
      await page.keyboard.press('Escape');
      expect(await picker.count()).toBe(0);
    });

    it('shows the audit log to an audit:read token only, with filters and a verification', async () => {
      const plainAdmin = await open({ sub: 'alice', wid: 'ws1', role: 'admin' });
      expect(await plainAdmin.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
      await plainAdmin.goto(`http://127.0.0.1:${api.port}/#/audit`);
      await plainAdmin.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();

      const page = await open({ sub: 'auditor', wid: 'ws1', scope: 'audit:read' });
      // A token with the scope alone lands on the audit log, the only page it may use.
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      expect(
        await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(),
      ).toEqual(['Audit log']);
      const table = page.getByRole('table', { name: 'Audit events, newest first' });
      await table.getByText('secret.member_add').waitFor();
      await page.getByRole('combobox', { name: 'Action' }).selectOption('secret.create');
      await page.getByRole('textbox', { name: 'Secret name' }).fill('STRIPE_KEY');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect
        .poll(() =>
          table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent)),
        )
        .toEqual(['secret.create']);
      expect(await table.locator('tbody').textContent()).toContain('STRIPE_KEY');
      await page.getByRole('button', { name: 'Verify audit log' }).click();
      await waitForMessage(page, /The audit log verifies: \d+ records checked\./);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    });

    it(
      'pages through 10,000 secrets a page at a time, and finds one by name',
      { timeout: 120_000 },
      async () => {
        const admin = await api.token({ sub: 'carol', wid: 'ws-big', role: 'admin' });
        const dotenv = Array.from(
          { length: 10_000 },
          (_, i) => `BULK_${String(i).padStart(5, '0')}=value-${i}`,
        ).join('\n');
        const imported = await api.gql(
          admin,
          `mutation($i: ImportSecretsInput!) { importSecrets(input: $i) { created } }`,
          {
            i: { dotenv },
          },
        );
        expect(imported.body.data?.importSecrets.created, imported.text.slice(0, 300)).toBe(10_000);

        const page = await open({ sub: 'carol', wid: 'ws-big', role: 'admin' });
        const workspace = section(page, 'Workspace');
        await workspace.getByText('10,000 secrets').waitFor();
        const pager = workspace.getByRole('navigation', { name: 'Workspace pages' });
        await pager.getByText('1–50 of 10,000').waitFor();
        expect(await workspace.locator('tbody tr .key').count()).toBe(50);
        for (let i = 0; i < 3; i++) await pager.getByRole('button', { name: 'Next page' }).click();
        await pager.getByText('151–200 of 10,000').waitFor();
        await rowOf(workspace, 'BULK_00150').waitFor();
        await pager.getByRole('button', { name: 'Previous page' }).click();
        await pager.getByText('101–150 of 10,000').waitFor();
        await rowOf(workspace, 'BULK_00100').waitFor();
        await page.getByRole('searchbox', { name: 'Search by name' }).fill('BULK_09999');
        await expect.poll(() => workspace.locator('tbody tr .key').allTextContents()).toEqual(['BULK_09999']);
        await workspace.getByText('1 secret', { exact: true }).waitFor();
      },
    );
  },
);

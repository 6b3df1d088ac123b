import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../api/api-harness.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { launchChromium } from './support/chromium.js';
import { openConsoleAs, rowOf, section, waitForMessage } from './support/console-page.js';

/** A value nobody else would type, with characters that every encoding changes. */
const canary = (label: string) => `canary-${label}-${randomBytes(8).toString('hex')}+/=?&é`;

/** The forms a value could leak in (SPEC §3): plain, base64, base64url, URL-encoded. */
const formsOf = (value: string): string[] => [
  value,
  Buffer.from(value).toString('base64'),
  Buffer.from(value).toString('base64url'),
  encodeURIComponent(value),
  encodeURI(value),
  new URLSearchParams({ v: value }).toString().slice(2),
];

/**
 * SPEC §12: "a value typed into the console is sent once and never shown, stored or
 * logged by it". Values typed into every kind of value field — a new row (revealed
 * with Show while typing), a row the API refuses, a rotation — are looked for
 * afterwards everywhere the page could keep or show them.
 */
describe.each(DATABASE_KINDS)('canary values typed into the console, on %s', (kind) => {
  let api: ApiHarness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const consoleLines: string[] = [];
  const responses: Array<{ url: string; body: Buffer }> = [];
  const requestBodies: string[] = [];
  const pending: Array<Promise<void>> = [];

  beforeAll(async () => {
    api = await startApi(kind);
    const admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    await api.gql(
      admin,
      `mutation { createSecret(input: { name: "TAKEN_NAME", value: "already-here" }) { id } }`,
    );
    browser = await launchChromium();
    // Seen by a script the test installs outside the page's CSP (DevTools protocol), before any page script.
    await browser.context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    browser.context.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    browser.context.on('weberror', (error) => consoleLines.push(`pageerror: ${error.error().message}`));
    browser.context.on('request', (request) => requestBodies.push(request.postData() ?? ''));
    browser.context.on('response', (response) => {
      pending.push(
        response
          .body()
          .then((body) => void responses.push({ url: response.url(), body }))
          .catch(() => {}),
      );
    });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const typed: string[] = [];

  it('types canaries into a new row (shown while typing), a refused row, and a rotation', async () => {
    page = await openConsoleAs(browser.context, api, { sub: 'alice', wid: 'ws1', role: 'admin' });
    page.setDefaultTimeout(10_000);
    const workspace = section(page, 'Workspace');

    const saved = canary('saved');
    const refused = canary('refused');
    typed.push(saved, refused);
    await workspace.getByRole('textbox', { name: 'Key' }).last().fill('CANARY_SAVED');
    const value = workspace.getByLabel('Value', { exact: true }).first();
    await value.focus();
    await page.keyboard.type(saved);
    // "Show" while typing: the field turns to text, and back once the value is sent.
    await workspace.getByRole('button', { name: 'Show value' }).click();
    expect(await value.getAttribute('type')).toBe('text');
    await workspace.getByRole('textbox', { name: 'Key' }).last().fill('TAKEN_NAME');
    await workspace.getByLabel('Value', { exact: true }).nth(1).fill(refused);
    await workspace.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForMessage(page, /Saved CANARY_SAVED\. One row was not saved\./);
    await workspace.getByText(/clashes with a secret that already exists.*Type the value again/).waitFor();
    for (const field of await workspace.getByLabel('Value', { exact: true }).all()) {
      expect(await field.inputValue()).toBe('');
      expect(await field.getAttribute('type')).toBe('password');
    }

    const rotated = canary('rotated');
    typed.push(rotated);
    await rowOf(workspace, 'CANARY_SAVED')
      .getByRole('link', { name: /Details/ })
      .click();
    await page.getByLabel('New value', { exact: true }).fill(rotated);
    await page.getByRole('button', { name: 'Update value' }).click();
    await waitForMessage(page, /as version 2\./);
    await page.getByRole('link', { name: 'Back to secrets' }).click();
    await rowOf(section(page, 'Workspace'), 'CANARY_SAVED').waitFor();
  });

  it('sent each value in exactly one request', () => {
    for (const value of typed) {
      const carrying = requestBodies.filter((body) => body.includes(JSON.stringify(value).slice(1, -1)));
      expect(carrying, value).toHaveLength(1);
    }
  });

  it('left no canary in the DOM, the page storage, any response, the browser console or the server log', async () => {
    await Promise.all(pending);
    const dom = await page.evaluate(() =>
      [
        document.documentElement.outerHTML,
        ...[...document.querySelectorAll('input, textarea')].map((e) => (e as HTMLInputElement).value),
      ].join('\n'),
    );
    const storage = await page.evaluate(() =>
      JSON.stringify([Object.entries(window.sessionStorage), Object.entries(window.localStorage)]),
    );
    expect(responses.length).toBeGreaterThan(5);
    const places: Array<[string, string]> = [
      ['DOM', dom],
      ['storage', storage],
      ['browser console', consoleLines.join('\n')],
      ['server log', api.logLines.join('\n')],
      ...responses.map(({ url, body }): [string, string] => [`response ${url}`, body.toString('utf8')]),
    ];
    for (const value of typed)
      for (const form of formsOf(value))
        for (const [where, text] of places) expect(text.includes(form), `${where} holds ${form}`).toBe(false);
  });

  it('ran under its CSP without a single violation or error', async () => {
    expect(
      await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    ).toEqual([]);
    expect(consoleLines.filter((line) => /^(error|pageerror)/.test(line))).toEqual([]);
  });
});

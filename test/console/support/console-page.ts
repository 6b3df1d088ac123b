import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { TokenClaims } from '../../../services/core/auth/dev-jwt-keys.js';
import type { ApiHarness } from '../../api/api-harness.js';

/** Opens the console in a new tab of `context` signed in as `claims`, as the sign-in link does. */
export async function openConsoleAs(
  context: BrowserContext,
  api: Pick<ApiHarness, 'port' | 'token'>,
  claims: TokenClaims,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${api.port}/#token=${await api.token(claims)}`);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  return page;
}

/** The region of the secrets page for one section ("Workspace" or "Personal"). */
export const section = (page: Page, name: 'Workspace' | 'Personal'): Locator =>
  page.getByRole('region', { name, exact: true });

/** The saved row whose Key is exactly `name`. */
export const rowOf = (scope: Locator, name: string): Locator =>
  scope.locator('tbody tr').filter({
    has: scope.page().locator('.key', { hasText: new RegExp(`^${name}$`) }),
  });

/** Pastes `text` into a field the way a browser does (a paste event carrying the clipboard's text). */
export async function pasteInto(field: Locator, text: string): Promise<void> {
  await field.focus();
  await field.evaluate((element, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    element.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

/** Waits until the status or alert live region says something matching `text`. */
export async function waitForMessage(page: Page, text: RegExp): Promise<string> {
  const message = page.locator('[role="status"], [role="alert"]').filter({ hasText: text }).first();
  await message.waitFor();
  return (await message.textContent()) ?? '';
}

/**
 * The accessibility violations of the page as it is now that axe-core rates serious
 * or critical, as `id: help (n nodes)` lines, for a readable failure.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  // An empty scan (axe blocked from running) must not pass for a clean page.
  if (results.passes.length === 0) throw new Error('axe-core checked nothing on this page');
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

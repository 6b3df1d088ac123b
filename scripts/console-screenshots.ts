/**
 * `npm run docs:screenshots`: the README's pictures of the admin console, taken in
 * Debian's Chromium from a real API over a throw-away SQLite database filled with the
 * kind of secrets a workflow platform holds. Writes docs/console-secrets.png and
 * docs/console-details.png.
 */
import { ensureConsoleBuilt } from '../services/cli/console-build.js';
import { startApi } from '../test/api/api-harness.js';
import { launchChromium } from '../test/console/support/chromium.js';

const WORKSPACE_SECRETS: Array<{ name: string; description: string; displayName?: string }> = [
  { name: 'STRIPE_SECRET_KEY', description: 'Live key for the checkout journey' },
  { name: 'payments-api-key', displayName: 'Payments API key', description: 'Acquirer API, used by refunds' },
  { name: 'OPENAI_API_KEY', description: 'Summaries in the support triage workflow' },
  { name: 'SENDGRID_API_KEY', description: 'Transactional email' },
  { name: 'DATABASE_URL', description: 'Reporting replica, read-only user' },
  { name: 'SLACK_WEBHOOK_URL', description: '#ops-alerts incoming webhook' },
  { name: 'GITHUB_TOKEN', description: 'Release workflow: opens pull requests' },
];

// Built first: the API reads the build when it starts.
await ensureConsoleBuilt({ say: (line) => console.log(line) });
const api = await startApi('sqlite');
const browser = await launchChromium({ viewport: { width: 1360, height: 820 } });
try {
  const admin = await api.token({ sub: 'alice', wid: 'acme', role: 'admin' });
  const gql = async (token: string, query: string, variables: Record<string, unknown>) => {
    const result = await api.gql(token, query, variables);
    if (result.body.errors) throw new Error(JSON.stringify(result.body.errors));
    return result.body.data!;
  };
  const create = `mutation($i: CreateSecretInput!) { createSecret(input: $i) { id } }`;
  const ids: Record<string, string> = {};
  for (const [i, secret] of WORKSPACE_SECRETS.entries()) {
    const value = `${secret.name.toLowerCase()}-${'x'.repeat(12)}${(4821 + i * 1373).toString(36)}`;
    ids[secret.name] = (await gql(admin, create, { i: { ...secret, value } })).createSecret.id;
  }
  const rotate = `mutation($i: UpdateSecretValueInput!) { updateSecretValue(input: $i) { version } }`;
  for (const round of [1, 2])
    await gql(admin, rotate, {
      i: { id: ids['payments-api-key'], value: `pk_live_rotated_${round}_abcdefgh9Q2x` },
    });
  const addMember = `mutation($i: AddSecretMemberInput!) { addSecretMember(input: $i) { id } }`;
  await gql(admin, addMember, { i: { secretId: ids['payments-api-key'], userId: 'bob', role: 'ADMIN' } });
  await gql(admin, addMember, { i: { secretId: ids['payments-api-key'], userId: 'carol', role: 'MEMBER' } });
  const hubspot = await api.token({ sub: 'svc-hubspot', wid: 'acme', scope: 'secrets:system' });
  await gql(hubspot, `mutation($i: RegisterSystemSecretInput!) { registerSystemSecret(input: $i) { id } }`, {
    i: {
      integration: 'hubspot',
      name: 'HUBSPOT_OAUTH_TOKEN',
      value: 'oauth-token-from-the-connection-flow',
      description: 'CRM connection',
    },
  });
  await gql(admin, create, {
    i: {
      name: 'MY_OPENAI_TEST_KEY',
      value: 'sk-test-personal-key-0000',
      scope: 'PERSONAL',
      description: 'My test key',
    },
  });

  const page = await browser.context.newPage();
  await page.goto(
    `http://127.0.0.1:${api.port}/#token=${await api.token({ sub: 'alice', wid: 'acme', role: 'admin', scope: 'audit:read' })}`,
  );
  await page.getByRole('switch', { name: 'Show system-managed secrets' }).check();
  await page.locator('.key', { hasText: 'HUBSPOT_OAUTH_TOKEN' }).waitFor();
  await page.locator('.key', { hasText: 'MY_OPENAI_TEST_KEY' }).waitFor();
  const workspace = page.getByRole('region', { name: 'Workspace' });
  await workspace.getByRole('textbox', { name: 'Key' }).fill('ZAPIER_HOOK_SECRET');
  await workspace.getByLabel('Value', { exact: true }).first().fill('typed-but-not-saved');
  await workspace.getByRole('textbox', { name: 'Description' }).first().fill('Signs outgoing Zapier hooks');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: 'docs/console-secrets.png', fullPage: true });

  await page.goto(`http://127.0.0.1:${api.port}/#/secret/${ids['payments-api-key']}`);
  await page.getByRole('heading', { level: 1, name: 'Payments API key' }).waitFor();
  await page.getByRole('table', { name: /Members of/ }).waitFor();
  await page.screenshot({ path: 'docs/console-details.png', fullPage: true });
  console.log('wrote docs/console-secrets.png and docs/console-details.png');
} finally {
  await browser.close();
  await api.close();
}

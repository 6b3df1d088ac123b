import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../services/protocol/domain-error.js';
import { createLocalResolver } from '../../services/sdk/local-resolver.js';
import type { RunContext } from '../../services/sdk/resolver-client-types.js';
import { MissingSecretsError } from '../../services/sdk/sdk-errors.js';

const context: RunContext = {
  workspaceId: 'w1',
  workflowId: 'wf',
  runId: 'r1',
  trigger: 'MANUAL',
  triggeredBy: 'u1',
  workflowOwner: 'u2',
  stepId: 's1',
};
const dir = mkdtempSync(join(tmpdir(), 'strongroom-sdk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function envFile(text: string): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.env`);
  writeFileSync(path, text);
  return path;
}

describe('createLocalResolver', () => {
  it('resolves from environment variables, in request order, each name once', async () => {
    const resolver = createLocalResolver({ env: { A: 'alpha', B: 'beta', OTHER: 'x' } });
    expect(await resolver.resolve(context, ['B', 'A', 'B'])).toEqual([
      { name: 'B', value: 'beta', scope: 'PERSONAL', version: 0 },
      { name: 'A', value: 'alpha', scope: 'PERSONAL', version: 0 },
    ]);
  });

  it('reads a .env file with dotenv rules; the environment wins over the file', async () => {
    const path = envFile(
      [
        'export PLAIN=plain # comment',
        "SINGLE='single $not_expanded'",
        'MULTI="line one',
        'line two"',
        'SHARED=from-file',
        'EMPTY_IN_ENV=from-file',
      ].join('\n'),
    );
    const resolver = createLocalResolver({ env: { SHARED: 'from-env', EMPTY_IN_ENV: '' }, envFile: path });
    const values = await resolver.resolve(context, ['PLAIN', 'SINGLE', 'MULTI', 'SHARED', 'EMPTY_IN_ENV']);
    expect(Object.fromEntries(values.map((v) => [v.name, v.value]))).toEqual({
      PLAIN: 'plain',
      SINGLE: 'single $not_expanded',
      MULTI: 'line one\nline two',
      SHARED: 'from-env',
      EMPTY_IN_ENV: 'from-file',
    });
  });

  it('is all or nothing: every missing (or empty) name is listed and no value is returned', async () => {
    const resolver = createLocalResolver({ env: { A: 'a-value', EMPTY: '' }, envFile: envFile('B=\n') });
    const error = await resolver
      .resolve(context, ['A', 'MISSING', 'EMPTY', 'B', 'MISSING'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingSecretsError);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as MissingSecretsError).code).toBe('NOT_FOUND');
    expect((error as MissingSecretsError).missingNames).toEqual(['MISSING', 'EMPTY', 'B']);
    expect((error as Error).message).toBe('3 secrets not found: MISSING, EMPTY, B');
    expect((error as Error).message).not.toContain('a-value');
  });

  it('ignores names inherited from Object.prototype', async () => {
    const resolver = createLocalResolver({ env: {} });
    await expect(resolver.resolve(context, ['constructor', '__proto__'])).rejects.toBeInstanceOf(
      MissingSecretsError,
    );
  });

  it('rejects invalid names and an unreadable .env file', async () => {
    await expect(createLocalResolver({ env: {} }).resolve(context, ['bad name'])).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    const missingFile = createLocalResolver({ env: { A: 'x' }, envFile: join(dir, 'nope.env') });
    await expect(missingFile.resolve(context, ['A'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { field: 'envFile' },
    });
  });

  it('reads the file on every resolve, so edits apply to the next run', async () => {
    const path = envFile('A=first');
    const resolver = createLocalResolver({ envFile: path });
    expect((await resolver.resolve(context, ['A']))[0]?.value).toBe('first');
    writeFileSync(path, 'A=second');
    expect((await resolver.resolve(context, ['A']))[0]?.value).toBe('second');
  });
});

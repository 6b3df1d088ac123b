import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule of eslint.config.js, tried on the imports it must refuse and the
 * ones it must let through: a file is linted as if it lived at `filePath`, so the
 * real configuration and resolver decide.
 */
const eslint = new ESLint();

async function layerErrors(filePath: string, importPath: string): Promise<string[]> {
  const [result] = await eslint.lintText(
    `import * as imported from '${importPath}';\nexport { imported };\n`,
    {
      filePath,
    },
  );
  return result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('the layer order of services/ (enforced by npm test through eslint)', () => {
  it.each([
    ['storage imports core', 'services/storage/x.ts', '../core/config/config.js'],
    ['storage imports the API', 'services/storage/x.ts', '../api/api-server.js'],
    ['core imports the API transport', 'services/core/secrets/x.ts', '../../api/api-server.js'],
    ['core imports the resolver transport', 'services/core/x.ts', '../resolver/resolver-server.js'],
    ['core imports the wiring', 'services/core/x.ts', '../app/runtime.js'],
    ['the API imports the CLI', 'services/api/x.ts', '../cli/shutdown.js'],
    ['the API imports storage past the domain', 'services/api/x.ts', '../storage/secret-store.js'],
    ['the resolver imports the CLI', 'services/resolver/x.ts', '../cli/shutdown.js'],
    ['the wiring imports the CLI', 'services/app/x.ts', '../cli/shutdown.js'],
    ['the SDK imports core', 'services/sdk/x.ts', '../core/errors/to-domain-error.js'],
    ['the SDK imports the resolver', 'services/sdk/x.ts', '../resolver/status-mapping.js'],
    ['the SDK imports storage', 'services/sdk/x.ts', '../storage/storage-errors.js'],
    ['the SDK imports the CLI', 'services/sdk/x.ts', '../cli/shutdown.js'],
    ['protocol imports core', 'services/protocol/x.ts', '../core/config/config.js'],
  ])('refuses an upward import: %s', async (_label, filePath, importPath) => {
    const errors = await layerErrors(filePath, importPath);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/restricted zone/);
  });

  it.each([
    ['the CLI imports the wiring', 'services/cli/x.ts', '../app/runtime.js'],
    ['the wiring imports storage', 'services/app/x.ts', '../storage/secret-store.js'],
    ['the API imports core', 'services/api/x.ts', '../core/secrets/secret-service.js'],
    ['core imports storage', 'services/core/x.ts', '../storage/storage-errors.js'],
    ['storage imports protocol', 'services/storage/x.ts', '../protocol/vocabulary.js'],
    ['the SDK imports protocol', 'services/sdk/x.ts', '../protocol/domain-error.js'],
    ['the resolver imports protocol', 'services/resolver/x.ts', '../protocol/status-codes.js'],
  ])('lets a downward import through: %s', async (_label, filePath, importPath) => {
    expect(await layerErrors(filePath, importPath)).toEqual([]);
  });

  it('refuses an import it cannot resolve, so none slips past the rule unseen', async () => {
    const [result] = await eslint.lintText(`import { x } from '../core/no-such-file.js';\nexport { x };\n`, {
      filePath: 'services/storage/x.ts',
    });
    expect(result!.messages.map((m) => m.ruleId)).toContain('import-x/no-unresolved');
  });
});

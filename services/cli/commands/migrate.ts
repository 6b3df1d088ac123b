import { assembleRuntime, tagExistingSecrets } from '../../app/runtime.js';
import { openKeyring } from '../../core/config/open-keyring.js';
import { STATE_TAG_MIGRATION } from '../../core/integrity/secret-state-backfill.js';
import type { CommandContext } from '../command.js';
import { createDataSource, runMigrations } from '../../storage/data-source.js';

/**
 * `strongroom migrate`: applies pending schema migrations and exits. The run that adds
 * secret state tags (SPEC §8.1) also tags every existing secret, with the key it opens
 * from the configured keyring: the tags are computed once, by a process that holds it.
 */
export async function migrateCommand({ config, logger, out }: CommandContext): Promise<number> {
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  try {
    const ran = await runMigrations(dataSource);
    out(ran.length === 0 ? 'schema is up to date' : `applied ${ran.length} migration(s): ${ran.join(', ')}`);
    if (ran.includes(STATE_TAG_MIGRATION)) {
      const keyring = await openKeyring(config, (path) =>
        logger.warn({ path }, 'development: generated a new master keyring'),
      );
      try {
        const runtime = await assembleRuntime({ config, logger, dataSource, keyring });
        out(`tagged the state of ${await tagExistingSecrets(runtime)} existing secret(s)`);
      } finally {
        await keyring.close();
      }
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

import type { CommandContext } from '../command.js';
import { createDataSource, runMigrations } from '../../storage/data-source.js';

/** `strongroom migrate`: applies pending schema migrations and exits. */
export async function migrateCommand({ config, out }: CommandContext): Promise<number> {
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  try {
    const ran = await runMigrations(dataSource);
    out(ran.length === 0 ? 'schema is up to date' : `applied ${ran.length} migration(s): ${ran.join(', ')}`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

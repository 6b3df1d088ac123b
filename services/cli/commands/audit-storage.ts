import type { Config } from '../../core/config/config.js';
import type { Logger } from '../../core/logging/logger.js';
import { createAuditCheckpointStore } from '../../storage/audit-checkpoint-store.js';
import { createAuditQueryStore } from '../../storage/audit-query-store.js';
import { createAuditStore } from '../../storage/audit-store.js';
import { createDataSource, runMigrations } from '../../storage/data-source.js';
import { createIntegrityStore } from '../../storage/integrity-store.js';

/** The flags of an `audit` subcommand: valued ones map to their text, switches to true. */
export type Flags = Map<string, string | true>;

/** Storage only; development applies pending migrations like every other command does. */
export async function openAuditStorage(config: Config, logger: Logger) {
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  if (config.mode === 'development') {
    const ran = await runMigrations(dataSource);
    if (ran.length > 0) logger.info({ migrations: ran }, 'applied migrations');
  }
  return {
    auditStore: createAuditStore({ dataSource }),
    auditQueryStore: createAuditQueryStore({ dataSource }),
    checkpointStore: createAuditCheckpointStore({ dataSource }),
    integrityStore: createIntegrityStore({ dataSource }),
    close: () => dataSource.destroy(),
  };
}

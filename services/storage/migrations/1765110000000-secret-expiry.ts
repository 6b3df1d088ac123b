import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect, type SqlDialect } from '../sql-dialect.js';

/**
 * Expiry and rotation reminders (SPEC §5.1):
 * - `expires_at`: after it the resolver refuses the secret (FAILED_PRECONDITION). It
 *   decides who gets a value, so the state tag covers it (secret-state.ts) and the
 *   workspace generation moves when it changes: the update trigger of the
 *   secret-generations migration is made again with `expires_at` among the columns that
 *   resolution reads, so a resolver's kept candidates never hold a stale expiry.
 * - `rotation_interval_days` and `rotation_due_at`: the reminder; due is the last
 *   rotation (the current version's time) plus the interval, kept by every write that
 *   moves either, so listing `rotationOverdue` is one indexed comparison.
 */
export class SecretExpiry1765110000000 implements MigrationInterface {
  name = 'SecretExpiry1765110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = sqlDialect(queryRunner.connection);
    const time = dialect === 'mysql' ? 'DATETIME(3)' : 'DATETIME';
    await queryRunner.query(`ALTER TABLE secrets ADD COLUMN expires_at ${time} NULL`);
    await queryRunner.query('ALTER TABLE secrets ADD COLUMN rotation_interval_days INTEGER NULL');
    await queryRunner.query(`ALTER TABLE secrets ADD COLUMN rotation_due_at ${time} NULL`);
    await queryRunner.query('CREATE INDEX idx_secrets_expires ON secrets (workspace_id, expires_at)');
    await queryRunner.query(
      'CREATE INDEX idx_secrets_rotation_due ON secrets (workspace_id, rotation_due_at)',
    );
    await queryRunner.query('DROP TRIGGER IF EXISTS tr_secrets_update_generation');
    await queryRunner.query(updateTrigger(dialect, [...RESOLUTION_COLUMNS, 'expires_at']));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const dialect = sqlDialect(queryRunner.connection);
    await queryRunner.query('DROP TRIGGER IF EXISTS tr_secrets_update_generation');
    await queryRunner.query(updateTrigger(dialect, RESOLUTION_COLUMNS));
    for (const index of ['idx_secrets_rotation_due', 'idx_secrets_expires'])
      await queryRunner.query(dialect === 'mysql' ? `DROP INDEX ${index} ON secrets` : `DROP INDEX ${index}`);
    for (const column of ['rotation_due_at', 'rotation_interval_days', 'expires_at'])
      await queryRunner.query(`ALTER TABLE secrets DROP COLUMN ${column}`);
  }
}

/** The columns of `secrets` resolution read before this migration (1763800000000-secret-generations). */
const RESOLUTION_COLUMNS = [
  'id',
  'workspace_id',
  'scope',
  'owner_id',
  'name',
  'current_version',
  'restricted',
];

/** The secrets update trigger of the secret-generations migration, over `columns`. */
function updateTrigger(d: SqlDialect, columns: string[]): string {
  const mysql = d === 'mysql';
  const upsert = mysql
    ? 'ON DUPLICATE KEY UPDATE generation = secret_generations.generation + 1'
    : 'ON CONFLICT (workspace_id) DO UPDATE SET generation = secret_generations.generation + 1';
  const bump = (workspaceSql: string) =>
    `INSERT INTO secret_generations (workspace_id, generation) VALUES (${workspaceSql}, 1) ${upsert}`;
  const body = [bump('OLD.workspace_id'), bump('NEW.workspace_id')];
  const unchanged = columns
    .map((c) => (mysql ? `NEW.${c} <=> OLD.${c}` : `NEW.${c} IS OLD.${c}`))
    .join(' AND ');
  return mysql
    ? `CREATE TRIGGER tr_secrets_update_generation AFTER UPDATE ON secrets FOR EACH ROW
         IF NOT (${unchanged}) THEN ${body.join('; ')}; END IF`
    : `CREATE TRIGGER tr_secrets_update_generation AFTER UPDATE ON secrets FOR EACH ROW
         WHEN NOT (${unchanged}) BEGIN ${body.join('; ')}; END`;
}

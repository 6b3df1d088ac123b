import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a resolve record says about whose run it was (SPEC §6.1): the principal whose
 * personal secrets and memberships decided it, who triggered the run, who owns the
 * workflow, the step, and the run grant's `jti`. Existing rows get '' ("not recorded"),
 * which is also what hashes them as before, so the log verifies across the upgrade.
 * The principal gets a pivot index like the actor's: "what did this user's runs get".
 * Plain SQL that both SQLite and MariaDB accept.
 */
export class AuditRunGrantFields1765000000000 implements MigrationInterface {
  name = 'AuditRunGrantFields1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of COLUMNS) {
      await queryRunner.query(
        `ALTER TABLE audit_events ADD COLUMN ${column} VARCHAR(128) NOT NULL DEFAULT ''`,
      );
    }
    await queryRunner.query(
      'CREATE INDEX ix_audit_events_ws_principal ON audit_events (workspace_id, principal, id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type !== 'better-sqlite3';
    await queryRunner.query(
      mysql
        ? 'DROP INDEX ix_audit_events_ws_principal ON audit_events'
        : 'DROP INDEX ix_audit_events_ws_principal',
    );
    for (const column of COLUMNS) await queryRunner.query(`ALTER TABLE audit_events DROP COLUMN ${column}`);
  }
}

const COLUMNS = ['principal', 'triggered_by', 'workflow_owner', 'step_id', 'grant_id'];

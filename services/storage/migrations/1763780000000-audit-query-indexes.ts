import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the auditor's pivots in `auditEvents` (SPEC §5): "who touched this
 * secret", "what did this actor do", "what did this run or workflow get". Each leads
 * with the workspace (every query is scoped to one) and ends with `id`, so a filtered
 * page is read newest first straight off the index. Low-selectivity filters (action,
 * outcome, time) ride on the existing (workspace_id, id) index. Retention pruning
 * walks each chain in sequence order, which the (chain_id, chain_seq) unique key serves.
 * The statements are plain SQL that both SQLite and MariaDB accept.
 */
export class AuditQueryIndexes1763780000000 implements MigrationInterface {
  name = 'AuditQueryIndexes1763780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, columns] of indexes) {
      await queryRunner.query(`CREATE INDEX ${name} ON audit_events (${columns})`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type !== 'better-sqlite3';
    for (const [name] of indexes) {
      await queryRunner.query(mysql ? `DROP INDEX ${name} ON audit_events` : `DROP INDEX ${name}`);
    }
  }
}

const indexes: Array<[string, string]> = [
  ['ix_audit_events_ws_secret_name', 'workspace_id, secret_name, id'],
  ['ix_audit_events_ws_actor', 'workspace_id, actor_id, id'],
  ['ix_audit_events_ws_run', 'workspace_id, run_id, id'],
  ['ix_audit_events_ws_workflow', 'workspace_id, workflow_id, id'],
];

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect, type SqlDialect } from '../sql-dialect.js';

/**
 * The first schema. Written as SQL per dialect rather than generated so that what
 * runs on MariaDB (binary collation: names are case-sensitive; MEDIUMBLOB: values up
 * to 16 MiB) is explicit. No nullable column sits inside a unique key.
 */
export class InitialSchema1763770000000 implements MigrationInterface {
  name = 'InitialSchema1763770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of createStatements(sqlDialect(queryRunner.connection))) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_chains', 'audit_events', 'secret_members', 'secret_versions', 'secrets']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}

function createStatements(d: SqlDialect): string[] {
  const text = (n: number) =>
    d === 'mysql' ? `VARCHAR(${n}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin` : `VARCHAR(${n})`;
  const time = d === 'mysql' ? 'DATETIME(3)' : 'DATETIME';
  const bool = d === 'mysql' ? 'TINYINT(1)' : 'BOOLEAN';
  const blob = d === 'mysql' ? 'MEDIUMBLOB' : 'BLOB';
  const smallBlob = d === 'mysql' ? 'VARBINARY(255)' : 'BLOB';
  const autoId =
    d === 'mysql' ? 'BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const table = d === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
  return [
    `CREATE TABLE secrets (
      id ${text(36)} NOT NULL PRIMARY KEY,
      workspace_id ${text(64)} NOT NULL,
      scope ${text(16)} NOT NULL,
      owner_id ${text(128)} NOT NULL DEFAULT '',
      name ${text(128)} NOT NULL,
      display_name ${text(256)} NOT NULL DEFAULT '',
      description ${text(2048)} NOT NULL DEFAULT '',
      system_managed ${bool} NOT NULL DEFAULT 0,
      integration ${text(128)} NOT NULL DEFAULT '',
      masked_preview ${text(32)} NOT NULL,
      current_version INTEGER NOT NULL,
      restricted ${bool} NOT NULL DEFAULT 0,
      created_at ${time} NOT NULL,
      created_by ${text(128)} NOT NULL,
      updated_at ${time} NOT NULL,
      updated_by ${text(128)} NOT NULL,
      last_used_at ${time} NULL,
      CONSTRAINT uq_secrets_scope_owner_name UNIQUE (workspace_id, scope, owner_id, name)
    )${table}`,
    `CREATE INDEX ix_secrets_workspace_name ON secrets (workspace_id, name)`,
    `CREATE TABLE secret_versions (
      id ${autoId},
      secret_id ${text(36)} NOT NULL,
      version INTEGER NOT NULL,
      ciphertext ${blob} NOT NULL,
      iv ${smallBlob} NOT NULL,
      tag ${smallBlob} NOT NULL,
      wrapped_key ${smallBlob} NOT NULL,
      key_id ${text(64)} NOT NULL,
      created_at ${time} NOT NULL,
      created_by ${text(128)} NOT NULL,
      CONSTRAINT uq_secret_versions_secret_version UNIQUE (secret_id, version),
      CONSTRAINT fk_secret_versions_secret FOREIGN KEY (secret_id) REFERENCES secrets (id) ON DELETE CASCADE
    )${table}`,
    `CREATE INDEX ix_secret_versions_key_id ON secret_versions (key_id, id)`,
    `CREATE TABLE secret_members (
      secret_id ${text(36)} NOT NULL,
      user_id ${text(128)} NOT NULL,
      role ${text(16)} NOT NULL,
      created_at ${time} NOT NULL,
      created_by ${text(128)} NOT NULL,
      PRIMARY KEY (secret_id, user_id),
      CONSTRAINT fk_secret_members_secret FOREIGN KEY (secret_id) REFERENCES secrets (id) ON DELETE CASCADE
    )${table}`,
    `CREATE TABLE audit_events (
      id ${autoId},
      chain_id ${text(36)} NOT NULL,
      chain_seq BIGINT NOT NULL,
      prev_hash ${text(64)} NOT NULL,
      hash ${text(64)} NOT NULL,
      occurred_at ${time} NOT NULL,
      action ${text(64)} NOT NULL,
      outcome ${text(16)} NOT NULL,
      actor_type ${text(16)} NOT NULL,
      actor_id ${text(128)} NOT NULL,
      workspace_id ${text(64)} NOT NULL,
      secret_id ${text(36)} NOT NULL,
      secret_name ${text(128)} NOT NULL,
      scope ${text(16)} NOT NULL,
      version INTEGER NOT NULL,
      workflow_id ${text(128)} NOT NULL,
      run_id ${text(128)} NOT NULL,
      \`trigger\` ${text(16)} NOT NULL,
      runner ${text(256)} NOT NULL,
      request_id ${text(64)} NOT NULL,
      source_address ${text(64)} NOT NULL,
      reason ${text(256)} NOT NULL,
      CONSTRAINT uq_audit_events_chain_seq UNIQUE (chain_id, chain_seq)
    )${table}`,
    `CREATE INDEX ix_audit_events_workspace_id ON audit_events (workspace_id, id)`,
    `CREATE INDEX ix_audit_events_occurred_at ON audit_events (occurred_at)`,
    `CREATE TABLE audit_chains (
      chain_id ${text(36)} NOT NULL PRIMARY KEY,
      last_seq BIGINT NOT NULL,
      last_hash ${text(64)} NOT NULL,
      pruned_through_seq BIGINT NOT NULL DEFAULT 0,
      pruned_through_hash ${text(64)} NOT NULL DEFAULT '',
      created_at ${time} NOT NULL,
      updated_at ${time} NOT NULL
    )${table}`,
  ];
}

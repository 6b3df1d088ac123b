import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect } from '../sql-dialect.js';

/**
 * What holds against a database writer (SPEC §8.1):
 * - `integrity_roots`: the one integrity root, sealed by the keyring (useless without it),
 *   from which the audit signing key and the secret-state key are derived.
 * - `audit_checkpoints`: signed, chained checkpoints of every audit chain's head.
 * - `secrets.state_tag`: an HMAC over what decides who gets a value; '' until tagged
 *   (`strongroom migrate` tags every secret once, with the key), and refused by the
 *   resolver while empty.
 * - `secret_versions.binding`: 1 for values sealed to (workspace, secret, version), 2 for
 *   values that also bind scope and owner (every version written from now on).
 */
export class Integrity1765050000000 implements MigrationInterface {
  name = 'Integrity1765050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = sqlDialect(queryRunner.connection) === 'mysql';
    const text = (n: number) =>
      mysql ? `VARCHAR(${n}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin` : `VARCHAR(${n})`;
    const time = mysql ? 'DATETIME(3)' : 'DATETIME';
    const blob = mysql ? 'VARBINARY(1024)' : 'BLOB';
    const body = mysql ? 'MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : 'TEXT';
    const table = mysql ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
    await queryRunner.query(`CREATE TABLE integrity_roots (
      id INTEGER NOT NULL PRIMARY KEY,
      key_id ${text(255)} NOT NULL,
      wrapped_root ${blob} NOT NULL,
      public_key ${text(128)} NOT NULL,
      created_at ${time} NOT NULL
    )${table}`);
    await queryRunner.query(`CREATE TABLE audit_checkpoints (
      seq BIGINT NOT NULL PRIMARY KEY,
      prev_hash ${text(64)} NOT NULL,
      hash ${text(64)} NOT NULL,
      body ${body} NOT NULL,
      signature ${text(128)} NOT NULL,
      full_state SMALLINT NOT NULL,
      created_at ${time} NOT NULL
    )${table}`);
    await queryRunner.query('CREATE INDEX idx_audit_checkpoints_full ON audit_checkpoints (full_state, seq)');
    await queryRunner.query(`ALTER TABLE secrets ADD COLUMN state_tag ${text(64)} NOT NULL DEFAULT ''`);
    await queryRunner.query('ALTER TABLE secret_versions ADD COLUMN binding INTEGER NOT NULL DEFAULT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE secret_versions DROP COLUMN binding');
    await queryRunner.query('ALTER TABLE secrets DROP COLUMN state_tag');
    await queryRunner.query('DROP TABLE audit_checkpoints');
    await queryRunner.query('DROP TABLE integrity_roots');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect } from '../sql-dialect.js';

/**
 * Change events and their delivery (SPEC §5.2):
 * - `webhook_endpoints`: a workspace's receivers; the `whsec_` signing secret sealed like
 *   a value (only the delivery worker opens it), and when and why an endpoint was disabled.
 * - `webhook_events`: the outbox, written in the transaction of the change it reports.
 *   `dedupe_key` is set for scheduled events (expiring, expired, rotation_due) and unique,
 *   so each threshold is published once however many workers scan at the same time.
 * - `webhook_deliveries`: one per event and endpoint subscribed to it when it was written
 *   (fanned out in the same transaction), claimed by a worker under a lease.
 * - `webhook_attempts`: every attempt, with status, duration, error class and at most a
 *   short excerpt of the response body.
 */
export class Webhooks1765120000000 implements MigrationInterface {
  name = 'Webhooks1765120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = sqlDialect(queryRunner.connection) === 'mysql';
    const text = (n: number) =>
      mysql ? `VARCHAR(${n}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin` : `VARCHAR(${n})`;
    const time = mysql ? 'DATETIME(3)' : 'DATETIME';
    const blob = mysql ? 'VARBINARY(1024)' : 'BLOB';
    const body = mysql ? 'MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : 'TEXT';
    const serial = mysql ? 'BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    const table = mysql ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
    await queryRunner.query(`CREATE TABLE webhook_endpoints (
      id ${text(36)} NOT NULL PRIMARY KEY,
      workspace_id ${text(64)} NOT NULL,
      url ${text(2048)} NOT NULL,
      events ${text(1024)} NOT NULL,
      description ${text(1024)} NOT NULL,
      secret_version INTEGER NOT NULL,
      secret_ciphertext ${blob} NOT NULL,
      secret_iv ${blob} NOT NULL,
      secret_tag ${blob} NOT NULL,
      secret_wrapped_key ${blob} NOT NULL,
      secret_key_id ${text(255)} NOT NULL,
      secret_binding INTEGER NOT NULL,
      disabled_at ${time} NULL,
      disabled_reason ${text(64)} NULL,
      failing_since ${time} NULL,
      created_at ${time} NOT NULL,
      created_by ${text(128)} NOT NULL,
      updated_at ${time} NOT NULL
    )${table}`);
    await queryRunner.query('CREATE INDEX idx_webhook_endpoints_ws ON webhook_endpoints (workspace_id)');
    await queryRunner.query(`CREATE TABLE webhook_events (
      id ${text(64)} NOT NULL PRIMARY KEY,
      workspace_id ${text(64)} NOT NULL,
      type ${text(64)} NOT NULL,
      payload ${body} NOT NULL,
      occurred_at ${time} NOT NULL,
      dedupe_key ${text(255)} NULL
    )${table}`);
    await queryRunner.query('CREATE UNIQUE INDEX ux_webhook_events_dedupe ON webhook_events (dedupe_key)');
    await queryRunner.query(`CREATE TABLE webhook_deliveries (
      id ${serial},
      event_id ${text(64)} NOT NULL,
      endpoint_id ${text(36)} NOT NULL,
      workspace_id ${text(64)} NOT NULL,
      status ${text(16)} NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_at ${time} NOT NULL,
      lease_until ${time} NULL,
      leased_by ${text(64)} NULL,
      last_status_code INTEGER NULL,
      last_error ${text(64)} NULL,
      created_at ${time} NOT NULL,
      delivered_at ${time} NULL
    )${table}`);
    await queryRunner.query(
      'CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)',
    );
    await queryRunner.query(
      'CREATE INDEX idx_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id)',
    );
    await queryRunner.query(`CREATE TABLE webhook_attempts (
      id ${serial},
      delivery_id BIGINT NOT NULL,
      attempted_at ${time} NOT NULL,
      status_code INTEGER NULL,
      duration_ms INTEGER NOT NULL,
      error_class ${text(64)} NULL,
      response_excerpt ${text(256)} NULL,
      worker ${text(64)} NOT NULL
    )${table}`);
    await queryRunner.query('CREATE INDEX idx_webhook_attempts_delivery ON webhook_attempts (delivery_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['webhook_attempts', 'webhook_deliveries', 'webhook_events', 'webhook_endpoints'])
      await queryRunner.query(`DROP TABLE ${name}`);
  }
}

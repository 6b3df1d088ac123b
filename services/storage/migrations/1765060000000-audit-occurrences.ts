import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many occurrences one audit record stands for. Failed authentications from one
 * source are aggregated (SPEC §8.1): after the first of an interval, the rest become
 * one record with a count. Every existing row stands for one, which is also what
 * hashes it as before, so the log verifies across the upgrade.
 */
export class AuditOccurrences1765060000000 implements MigrationInterface {
  name = 'AuditOccurrences1765060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE audit_events ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE audit_events DROP COLUMN occurrences');
  }
}

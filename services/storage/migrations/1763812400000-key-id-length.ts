import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect } from '../sql-dialect.js';

/**
 * `secret_versions.key_id` grows from 64 to 255 characters: besides a file keyring's
 * ids (`k-…`, at most 64), it holds `pkcs11:<label>` and `kms:<key id or ARN>`, and a
 * KMS key ARN alone is up to about 90 characters. SQLite does not enforce VARCHAR
 * lengths, so only MariaDB/MySQL changes; the (key_id, id) index stays usable (1,020
 * bytes in utf8mb4, within InnoDB's 3,072).
 */
export class KeyIdLength1763812400000 implements MigrationInterface {
  name = 'KeyIdLength1763812400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (sqlDialect(queryRunner.connection) !== 'mysql') return;
    await queryRunner.query(
      'ALTER TABLE secret_versions MODIFY key_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (sqlDialect(queryRunner.connection) !== 'mysql') return;
    await queryRunner.query(
      'ALTER TABLE secret_versions MODIFY key_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL',
    );
  }
}

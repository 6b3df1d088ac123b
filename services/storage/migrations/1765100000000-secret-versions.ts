import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect } from '../sql-dialect.js';

/**
 * Versions users can see, restore and destroy (SPEC §5.1):
 * - `masked_preview`: each version's own preview, computed when it was sealed. Versions
 *   written before this migration get the secret's preview when current, NULL otherwise
 *   (shown as the mask alone: the old value is not decrypted to compute one). Nullable,
 *   so rows inserted without it (seeding, older writers) stay valid.
 * - `restored_from`: the version a restore copied, NULL otherwise.
 * - `sealed_as`: the version number the copied ciphertext's AAD is bound to, NULL when it
 *   is the row's own version. A restore copies the sealed value as it is (the API never
 *   decrypts, so it cannot re-seal it under the new version number); the resolver opens
 *   it in the context it was sealed in. The state tag covers it (secret-state.ts), so a
 *   database writer cannot point the current version at an older ciphertext.
 * - `destroyed_at`: when the ciphertext was destroyed (destroySecretVersion, retention);
 *   the row stays as a tombstone with empty ciphertext, nonce, tag and wrapped key.
 */
export class SecretVersions1765100000000 implements MigrationInterface {
  name = 'SecretVersions1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = sqlDialect(queryRunner.connection) === 'mysql';
    const text = (n: number) =>
      mysql ? `VARCHAR(${n}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin` : `VARCHAR(${n})`;
    const time = mysql ? 'DATETIME(3)' : 'DATETIME';
    await queryRunner.query(`ALTER TABLE secret_versions ADD COLUMN masked_preview ${text(32)} NULL`);
    await queryRunner.query('ALTER TABLE secret_versions ADD COLUMN restored_from INTEGER NULL');
    await queryRunner.query('ALTER TABLE secret_versions ADD COLUMN sealed_as INTEGER NULL');
    await queryRunner.query(`ALTER TABLE secret_versions ADD COLUMN destroyed_at ${time} NULL`);
    await queryRunner.query(
      `UPDATE secret_versions SET masked_preview = (SELECT s.masked_preview FROM secrets s
         WHERE s.id = secret_versions.secret_id AND s.current_version = secret_versions.version)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['destroyed_at', 'sealed_as', 'restored_from', 'masked_preview'])
      await queryRunner.query(`ALTER TABLE secret_versions DROP COLUMN ${column}`);
  }
}

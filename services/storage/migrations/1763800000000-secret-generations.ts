import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect, type SqlDialect } from '../sql-dialect.js';

/**
 * A per-workspace change counter for what resolution reads, kept by triggers so no
 * write path can forget it: any insert, delete or relevant update of a secret, a
 * version or a membership moves its workspace's `generation` forward, in the writer's
 * own transaction. A resolver may then keep a workspace's sealed candidates in memory
 * and prove them current with one primary-key read in the transaction that commits the
 * resolve's audit records (see candidate-cache.ts). Triggers also catch writes made
 * outside Strongroom (an operator's SQL), which application code could not.
 *
 * On `secrets`, only the columns resolution reads count (id, workspace, scope, owner,
 * name, current version, restricted), so the resolver's own `last_used_at` writes and
 * metadata edits do not empty caches. A new column that resolution reads must be added
 * to `RESOLUTION_COLUMNS` in a migration of its own.
 */
export class SecretGenerations1763800000000 implements MigrationInterface {
  name = 'SecretGenerations1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of upStatements(sqlDialect(queryRunner.connection))) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await queryRunner.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    await queryRunner.query('DROP TABLE secret_generations');
  }
}

const RESOLUTION_COLUMNS = [
  'id',
  'workspace_id',
  'scope',
  'owner_id',
  'name',
  'current_version',
  'restricted',
];

const TRIGGERS = [
  'tr_secrets_insert_generation',
  'tr_secrets_update_generation',
  'tr_secrets_delete_generation',
  'tr_secret_versions_insert_generation',
  'tr_secret_versions_update_generation',
  'tr_secret_versions_delete_generation',
  'tr_secret_members_insert_generation',
  'tr_secret_members_update_generation',
  'tr_secret_members_delete_generation',
];

function upStatements(d: SqlDialect): string[] {
  const mysql = d === 'mysql';
  const text = mysql ? 'VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : 'VARCHAR(64)';
  const table = mysql ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
  const upsert = mysql
    ? 'ON DUPLICATE KEY UPDATE generation = secret_generations.generation + 1'
    : 'ON CONFLICT (workspace_id) DO UPDATE SET generation = secret_generations.generation + 1';
  /** Moves the generation of the workspace `workspaceSql` names forward. */
  const bumpWorkspace = (workspaceSql: string) =>
    `INSERT INTO secret_generations (workspace_id, generation) VALUES (${workspaceSql}, 1) ${upsert}`;
  /** The same, for the workspace of the secret `secretIdSql` (nothing once that secret is gone). */
  const bumpWorkspaceOfSecret = (secretIdSql: string) =>
    `INSERT INTO secret_generations (workspace_id, generation)
       SELECT s.workspace_id, 1 FROM secrets s WHERE s.id = ${secretIdSql} ${upsert}`;
  const unchanged = RESOLUTION_COLUMNS.map((c) =>
    mysql ? `NEW.${c} <=> OLD.${c}` : `NEW.${c} IS OLD.${c}`,
  ).join(' AND ');

  /** One trigger; `body` is one or more statements, each without its semicolon. */
  const trigger = (name: string, event: string, tableName: string, body: string[], when?: string) =>
    mysql
      ? `CREATE TRIGGER ${name} AFTER ${event} ON ${tableName} FOR EACH ROW
         ${when ? `IF ${when} THEN ${body.join('; ')}; END IF` : `BEGIN ${body.join('; ')}; END`}`
      : `CREATE TRIGGER ${name} AFTER ${event} ON ${tableName} FOR EACH ROW
         ${when ? `WHEN ${when} ` : ''}BEGIN ${body.join('; ')}; END`;

  return [
    `CREATE TABLE secret_generations (
      workspace_id ${text} NOT NULL PRIMARY KEY,
      generation BIGINT NOT NULL
    )${table}`,
    trigger(TRIGGERS[0]!, 'INSERT', 'secrets', [bumpWorkspace('NEW.workspace_id')]),
    trigger(
      TRIGGERS[1]!,
      'UPDATE',
      'secrets',
      [bumpWorkspace('OLD.workspace_id'), bumpWorkspace('NEW.workspace_id')],
      `NOT (${unchanged})`,
    ),
    trigger(TRIGGERS[2]!, 'DELETE', 'secrets', [bumpWorkspace('OLD.workspace_id')]),
    trigger(TRIGGERS[3]!, 'INSERT', 'secret_versions', [bumpWorkspaceOfSecret('NEW.secret_id')]),
    trigger(TRIGGERS[4]!, 'UPDATE', 'secret_versions', [
      bumpWorkspaceOfSecret('OLD.secret_id'),
      bumpWorkspaceOfSecret('NEW.secret_id'),
    ]),
    trigger(TRIGGERS[5]!, 'DELETE', 'secret_versions', [bumpWorkspaceOfSecret('OLD.secret_id')]),
    trigger(TRIGGERS[6]!, 'INSERT', 'secret_members', [bumpWorkspaceOfSecret('NEW.secret_id')]),
    trigger(TRIGGERS[7]!, 'UPDATE', 'secret_members', [
      bumpWorkspaceOfSecret('OLD.secret_id'),
      bumpWorkspaceOfSecret('NEW.secret_id'),
    ]),
    trigger(TRIGGERS[8]!, 'DELETE', 'secret_members', [bumpWorkspaceOfSecret('OLD.secret_id')]),
  ];
}

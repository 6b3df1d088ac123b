/**
 * Floor (b), the bare work: per call one indexed SELECT of the named secrets joined to
 * their current version, an AES-256-GCM unwrap and decrypt per secret (node:crypto),
 * and one multi-row INSERT of audit rows, committed (autocommit) before answering.
 * No validation, no policy, no logging, no hash chain: what any correct resolver
 * must at least do.
 */
import { createDecipheriv } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { createPool, type RowDataPacket } from 'mysql2/promise';
import { sealAad } from '../../services/core/crypto/envelope-cipher.js';
import { parseMasterKeys } from '../../services/core/crypto/keyring-file.js';
import {
  ResolveResponseSchema,
  Scope,
} from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { serveFloor } from './grpc-floor-server.js';

const pool = createPool({ uri: process.env.DATABASE_URL!, connectionLimit: 10, timezone: 'Z' });
const masterKeys = new Map(
  parseMasterKeys(process.env.STRONGROOM_MASTER_KEYS!).keys.map((k) => [k.id, k.key]),
);

function gcmOpen(key: Buffer, iv: Buffer, tag: Buffer, body: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

interface Row extends RowDataPacket {
  id: string;
  name: string;
  scope: string;
  owner_id: string;
  version: number;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  wrapped_key: Buffer;
  key_id: string;
}

let seq = 0;

await serveFloor(
  (call, callback) => {
    const workspaceId = call.request.context?.workspaceId ?? '';
    const names = call.request.names;
    void (async () => {
      const [rows] = await pool.query<Row[]>(
        `SELECT s.id, s.name, s.scope, s.owner_id, v.version, v.ciphertext, v.iv, v.tag, v.wrapped_key, v.key_id
         FROM secrets s JOIN secret_versions v ON v.secret_id = s.id AND v.version = s.current_version
        WHERE s.workspace_id = ? AND s.name IN (?)`,
        [workspaceId, names],
      );
      const secrets = rows.map((r) => {
        // Binding 2 (SPEC §8.1): values are bound to scope and owner as the services seal them.
        const context = {
          workspaceId,
          secretId: r.id,
          version: r.version,
          scope: r.scope,
          ownerId: r.owner_id,
        };
        const wrapped = r.wrapped_key;
        const dataKey = gcmOpen(
          masterKeys.get(r.key_id)!,
          wrapped.subarray(0, 12),
          wrapped.subarray(12, 28),
          wrapped.subarray(28),
          sealAad(context, 'data-key', 2),
        );
        const value = gcmOpen(dataKey, r.iv, r.tag, r.ciphertext, sealAad(context, 'value', 2)).toString(
          'utf8',
        );
        return { name: r.name, value, scope: Scope.WORKSPACE, version: r.version };
      });
      const now = new Date();
      await pool.query(
        `INSERT INTO audit_events (chain_id, chain_seq, prev_hash, hash, occurred_at, action, outcome, actor_type,
         actor_id, workspace_id, secret_id, secret_name, scope, version, workflow_id, run_id, \`trigger\`, runner,
         request_id, source_address, reason) VALUES ?`,
        [
          rows.map((r) => [
            'bare-work-floor',
            (seq += 1),
            '',
            '',
            now,
            'secret.resolve',
            'SUCCESS',
            'runner',
            'bench',
            workspaceId,
            r.id,
            r.name,
            'WORKSPACE',
            r.version,
            '',
            '',
            'MANUAL',
            'bench',
            '',
            '',
            '',
          ]),
        ],
      );
      return create(ResolveResponseSchema, { secrets });
    })().then(
      (response) => callback(null, response),
      (error: Error) => callback({ code: 13, details: error.message }),
    );
  },
  () => pool.end(),
);

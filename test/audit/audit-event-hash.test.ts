import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEventHash, chainAuditEvent } from '../../services/core/audit/audit-event.js';
import { resolveEvent } from './support.js';

/** The canonical form of an event, written out field by field: logs already written hash this way. */
function canonicalHash(event: ReturnType<typeof chainAuditEvent>): string {
  const canonical = JSON.stringify([
    'strongroom-audit/v1',
    event.chainId,
    event.chainSeq,
    event.prevHash,
    event.occurredAt.toISOString(),
    event.action,
    event.outcome,
    event.actorType,
    event.actorId,
    event.workspaceId,
    event.secretId,
    event.secretName,
    event.scope,
    event.version,
    event.workflowId,
    event.runId,
    event.trigger,
    event.runner,
    event.requestId,
    event.sourceAddress,
    event.reason,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

describe('audit event hash', () => {
  it('is SHA-256 of the canonical JSON array, for any field text (lone surrogates and NUL included)', () => {
    fc.assert(
      fc.property(
        fc.record({
          runId: fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)) }),
          workflowId: fc.string({ unit: 'grapheme' }),
          reason: fc.string(),
          version: fc.nat(),
        }),
        fc.nat(),
        (fields, seq) => {
          const event = chainAuditEvent(resolveEvent('hash', fields), new Date(1_700_000_000_123), {
            chainId: 'chain-1',
            chainSeq: seq + 1,
            prevHash: 'f'.repeat(64),
          });
          expect(event.hash).toBe(canonicalHash(event));
          expect(auditEventHash(event)).toBe(event.hash);
        },
      ),
    );
  });

  it('moves with every field it covers', () => {
    const base = chainAuditEvent(resolveEvent('hash'), new Date(0), {
      chainId: 'chain-1',
      chainSeq: 1,
      prevHash: 'a'.repeat(64),
    });
    for (const [field, value] of [
      ['chainSeq', 2],
      ['prevHash', 'b'.repeat(64)],
      ['occurredAt', new Date(1)],
      ['secretName', 'OTHER'],
      ['version', 2],
      ['reason', 'x'],
    ] as const) {
      expect(auditEventHash({ ...base, [field]: value })).not.toBe(base.hash);
    }
  });
});

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEventHash, chainAuditEvent } from '../../services/core/audit/audit-event.js';
import { resolveEvent } from './support.js';

/** The canonical form of an event, written out field by field: logs already written hash this way. */
function canonicalHash(event: ReturnType<typeof chainAuditEvent>): string {
  return createHash('sha256').update(canonicalJson(event), 'utf8').digest('hex');
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

describe('audit event hash: run-grant fields (v2)', () => {
  const at = new Date(1_700_000_000_123);
  const position = { chainId: 'chain-1', chainSeq: 7, prevHash: 'e'.repeat(64) };

  it('an event that records none of them hashes exactly as logs written before they existed', () => {
    const event = chainAuditEvent(resolveEvent('v1'), at, position);
    expect(event.hash).toBe(canonicalHash(event));
  });

  it('an event that records any of them hashes as v2, and blanking or changing one moves its hash', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('principal', 'triggeredBy', 'workflowOwner', 'stepId', 'grantId'),
        fc.string({ minLength: 1, maxLength: 40 }),
        (field, value) => {
          const event = chainAuditEvent({ ...resolveEvent('v2'), [field]: value }, at, position);
          const v2 = createHash('sha256')
            .update(
              JSON.stringify([
                'strongroom-audit/v2',
                ...(JSON.parse(canonicalJson(event)) as unknown[]).slice(1),
                event.principal,
                event.triggeredBy,
                event.workflowOwner,
                event.stepId,
                event.grantId,
              ]),
            )
            .digest('hex');
          expect(event.hash).toBe(v2);
          expect(auditEventHash({ ...event, [field]: '' })).not.toBe(event.hash);
          expect(auditEventHash({ ...event, [field]: `${value}x` })).not.toBe(event.hash);
        },
      ),
    );
  });
});

/** The v1 fields of an event as canonical JSON, written out field by field. */
function canonicalJson(event: ReturnType<typeof chainAuditEvent>): string {
  return JSON.stringify([
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
}

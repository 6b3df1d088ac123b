import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEventInput } from '../../services/core/audit/audit-event.js';
import {
  createFailedAuthentications,
  OVERFLOW_SOURCE,
  type FailedAuthenticationLimits,
} from '../../services/core/auth/failed-authentications.js';

// Pure logic: the audit log is a list, the clock a number. That the records reach a real
// database, chain and verify is shown over HTTP in test/api/failed-authentications.test.ts.

const quiet = { error: () => {}, warn: () => {} };

function harness(limits: FailedAuthenticationLimits, failAppends = 0) {
  const written: AuditEventInput[] = [];
  let clock = 1_000_000;
  let failing = failAppends;
  const auth = createFailedAuthentications({
    auditLog: {
      appendCommitted: async (events) => {
        if (failing > 0) {
          failing -= 1;
          throw new Error('database away');
        }
        written.push(...events);
        return [];
      },
    },
    logger: quiet,
    limits,
    now: () => clock,
  });
  return {
    auth,
    written,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const sum = (events: AuditEventInput[]) => events.reduce((n, e) => n + (e.occurrences ?? 1), 0);

describe('failed authentications: limited per source, aggregated past the limit', () => {
  it('every failure is accounted for exactly once, and no interval writes more than limit + reasons records per source', async () => {
    const limits = { intervalSeconds: 10, limitPerSource: 3, maxSources: 1000 };
    const failure = fc.record({
      source: fc.constantFrom('10.0.0.1', '10.0.0.2', '2001:db8::1'),
      reason: fc.constantFrom('NO_TOKEN', 'INVALID_TOKEN', 'EXPIRED'),
      gapMs: fc.integer({ min: 0, max: 4_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(failure, { maxLength: 120 }), async (failures) => {
        const { auth, written, advance } = harness(limits);
        // The model: a source's interval starts at its first failure after the last one
        // ended; past the limit within it, the source is refused.
        const started = new Map<string, number>();
        const inWindow = new Map<string, number>();
        let at = 1_000_000;
        const refusedByModel: boolean[] = [];
        const refused: boolean[] = [];
        for (const [i, f] of failures.entries()) {
          advance(f.gapMs);
          at += f.gapMs;
          const start = started.get(f.source);
          if (start === undefined || at >= start + 10_000) {
            started.set(f.source, at);
            inWindow.set(f.source, 0);
          }
          inWindow.set(f.source, inWindow.get(f.source)! + 1);
          refusedByModel.push(inWindow.get(f.source)! > limits.limitPerSource);
          const verdict = await auth.record({
            sourceAddress: f.source,
            reason: f.reason,
            requestId: `r${i}`,
          });
          refused.push(verdict.limited);
          if (verdict.limited) expect(verdict.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          // Flush at arbitrary points, as the timer would: nothing may be counted twice.
          if (f.gapMs % 7 === 0) await auth.flush();
        }
        await auth.close();
        expect(refused).toEqual(refusedByModel);
        // Every failure appears once, alone or inside a count, under its source and reason.
        const key = (source: string, reason: string) => `${source}|${reason}`;
        const expected = new Map<string, number>();
        for (const f of failures)
          expected.set(key(f.source, f.reason), (expected.get(key(f.source, f.reason)) ?? 0) + 1);
        const actual = new Map<string, number>();
        for (const e of written) {
          const k = key(e.sourceAddress!, e.reason!);
          actual.set(k, (actual.get(k) ?? 0) + (e.occurrences ?? 1));
        }
        expect(actual).toEqual(expected);
        expect(sum(written)).toBe(failures.length);
        // Exactly the failures let through were written alone, each with its request id;
        // the refused ones only inside counts.
        const alone = written.filter((e) => e.occurrences === undefined);
        expect(alone.map((e) => e.requestId)).toEqual(
          failures.flatMap((_, i) => (refused[i] ? [] : [`r${i}`])),
        );
        for (const e of written) expect([e.action, e.outcome]).toEqual(['auth.denied', 'DENIED']);
      }),
      { numRuns: 200 },
    );
  });

  it('a source is refused past its limit until the interval ends, and then starts afresh', async () => {
    const { auth, written, advance } = harness({ intervalSeconds: 60, limitPerSource: 5, maxSources: 100 });
    const verdicts = [];
    for (let i = 0; i < 8; i++) {
      verdicts.push(await auth.record({ sourceAddress: '10.1.1.1', reason: 'NO_TOKEN', requestId: `r${i}` }));
    }
    expect(verdicts.map((v) => v.limited)).toEqual([false, false, false, false, false, true, true, true]);
    // Another source is not held back by the first.
    expect(await auth.record({ sourceAddress: '10.1.1.2', reason: 'NO_TOKEN', requestId: 'other' })).toEqual({
      limited: false,
    });
    expect(written.map((e) => e.requestId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'other']);
    advance(60_000);
    expect(
      (await auth.record({ sourceAddress: '10.1.1.1', reason: 'NO_TOKEN', requestId: 'again' })).limited,
    ).toBe(false);
    await auth.close();
    // The three refused ones became one record with their count, under the source they came from.
    expect(written.filter((e) => e.occurrences !== undefined)).toEqual([
      expect.objectContaining({ sourceAddress: '10.1.1.1', reason: 'NO_TOKEN', occurrences: 3 }),
    ]);
  });

  it("tells how long to wait: the rest of the source's interval, which starts at its first failure", async () => {
    const { auth, advance } = harness({ intervalSeconds: 60, limitPerSource: 1, maxSources: 100 });
    await auth.record({ sourceAddress: 'a', reason: 'NO_TOKEN', requestId: '1' });
    advance(5_000);
    expect(await auth.record({ sourceAddress: 'a', reason: 'NO_TOKEN', requestId: '2' })).toEqual({
      limited: true,
      retryAfterSeconds: 55,
    });
    // Another source's interval is its own: starting now, it is not limited yet.
    expect(await auth.record({ sourceAddress: 'b', reason: 'NO_TOKEN', requestId: '3' })).toEqual({
      limited: false,
    });
    advance(55_000);
    expect((await auth.record({ sourceAddress: 'a', reason: 'NO_TOKEN', requestId: '4' })).limited).toBe(
      false,
    );
    expect(await auth.record({ sourceAddress: 'b', reason: 'NO_TOKEN', requestId: '5' })).toEqual({
      limited: true,
      retryAfterSeconds: 5,
    });
  });

  it('past maxSources, new sources are tracked and limited together under *', async () => {
    const { auth, written } = harness({ intervalSeconds: 60, limitPerSource: 2, maxSources: 2 });
    for (const source of ['s1', 's2'])
      await auth.record({ sourceAddress: source, reason: 'NO_TOKEN', requestId: source });
    const late = [];
    for (const source of ['s3', 's4', 's5', 's6']) {
      late.push(
        (await auth.record({ sourceAddress: source, reason: 'NO_TOKEN', requestId: source })).limited,
      );
    }
    // s3 and s4 share the overflow window's two; s5 and s6 are past it.
    expect(late).toEqual([false, false, true, true]);
    await auth.close();
    expect(written.map((e) => [e.sourceAddress, e.occurrences ?? 1])).toEqual([
      ['s1', 1],
      ['s2', 1],
      ['s3', 1],
      ['s4', 1],
      [OVERFLOW_SOURCE, 2],
    ]);
  });

  it('a count that could not be written is kept, merged, and written by a later flush', async () => {
    const { auth, written, advance } = harness({ intervalSeconds: 10, limitPerSource: 0, maxSources: 10 }, 0);
    // With a limit of 0 every failure is counted, none written alone.
    for (let i = 0; i < 4; i++)
      await auth.record({ sourceAddress: 'x', reason: 'NO_TOKEN', requestId: `${i}` });
    let fail = true;
    const flaky = createFailedAuthentications({
      auditLog: {
        appendCommitted: async (events) => {
          if (fail) throw new Error('database away');
          written.push(...events);
          return [];
        },
      },
      logger: quiet,
      limits: { intervalSeconds: 10, limitPerSource: 0, maxSources: 10 },
      now: () => 0,
    });
    for (let i = 0; i < 3; i++)
      await flaky.record({ sourceAddress: 'y', reason: 'NO_TOKEN', requestId: `${i}` });
    await expect(flaky.flush()).rejects.toThrow('database away');
    for (let i = 0; i < 2; i++)
      await flaky.record({ sourceAddress: 'y', reason: 'NO_TOKEN', requestId: `${i}` });
    fail = false;
    await flaky.close();
    advance(10_000);
    await auth.close();
    // y: the 3 held through the failed flush, then the 2 counted after it; x: its 4.
    expect(written.map((e) => [e.sourceAddress, e.occurrences])).toEqual([
      ['y', 3],
      ['y', 2],
      ['x', 4],
    ]);
  });
});

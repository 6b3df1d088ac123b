import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSlotBatcher } from '../../services/core/batching/slot-batcher.js';

interface Request {
  id: number;
  weight: number;
}

/** A batcher over a fake runner whose batches finish in the order fast-check's scheduler picks. */
function observed(
  s: fc.Scheduler,
  {
    slots,
    maxBatchWeight,
    minSplitWeight,
    failing,
  }: { slots: number; maxBatchWeight: number; minSplitWeight: number; failing: Set<number> },
) {
  const batches: Array<{ slot: number; ids: number[] }> = [];
  let running = 0;
  let mostRunning = 0;
  const busySlots = new Set<number>();
  const batcher = createSlotBatcher<Request, string>({
    slots,
    maxBatchWeight,
    minSplitWeight,
    weightOf: (r) => r.weight,
    async runBatch(slot, requests) {
      expect(busySlots.has(slot)).toBe(false);
      busySlots.add(slot);
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      batches.push({ slot, ids: requests.map((r) => r.id) });
      try {
        await s.schedule(Promise.resolve(), `batch on slot ${slot}`);
        if (requests.some((r) => failing.has(r.id))) throw new Error(`batch of ${requests[0]!.id} failed`);
        return requests.map((r) => `answer ${r.id}`);
      } finally {
        running -= 1;
        busySlots.delete(slot);
      }
    },
  });
  return { batcher, batches, mostRunning: () => mostRunning };
}

describe('slot batcher', () => {
  it('answers every request from the batch that carried it, within the slot and weight limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(Infinity)),
        fc.array(fc.record({ weight: fc.integer({ min: 1, max: 8 }), fails: fc.boolean() }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (s, slots, maxBatchWeight, minSplitWeight, specs) => {
          const requests = specs.map((spec, id) => ({ id, weight: spec.weight }));
          const failing = new Set(specs.flatMap((spec, id) => (spec.fails && id % 3 === 0 ? [id] : [])));
          const { batcher, batches, mostRunning } = observed(s, {
            slots,
            maxBatchWeight,
            minSplitWeight,
            failing,
          });
          const outcomes = requests.map((r) =>
            batcher.submit(r).then(
              (answer) => ({ ok: true as const, answer }),
              (error: Error) => ({ ok: false as const, error: error.message }),
            ),
          );
          await s.waitFor(Promise.all(outcomes));
          const settled = await Promise.all(outcomes);

          expect(mostRunning()).toBeLessThanOrEqual(slots);
          // Every request rode in exactly one batch, in arrival order within it.
          expect(batches.flatMap((b) => b.ids).sort((a, b) => a - b)).toEqual(requests.map((r) => r.id));
          for (const batch of batches) {
            expect(batch.ids).toEqual([...batch.ids].sort((a, b) => a - b));
            const weight = batch.ids.reduce((sum, id) => sum + requests[id]!.weight, 0);
            if (batch.ids.length > 1) expect(weight).toBeLessThanOrEqual(maxBatchWeight);
            const batchFailed = batch.ids.some((id) => failing.has(id));
            for (const id of batch.ids) {
              expect(settled[id]).toEqual(
                batchFailed
                  ? { ok: false, error: `batch of ${batch.ids[0]} failed` }
                  : { ok: true, answer: `answer ${id}` },
              );
            }
          }
        },
      ),
    );
  });

  it('starts the requests of one turn together, on the lowest free slot, and a quiet batcher keeps to slot 0', async () => {
    const batches: Array<{ slot: number; requests: number[] }> = [];
    const batcher = createSlotBatcher<number, number>({
      slots: 4,
      async runBatch(slot, requests) {
        batches.push({ slot, requests });
        return requests;
      },
    });
    for (let i = 0; i < 5; i += 1) expect(await batcher.submit(i)).toBe(i);
    expect(batches.map((b) => b.slot)).toEqual([0, 0, 0, 0, 0]);

    // Three in one turn: one batch, one slot.
    batches.length = 0;
    expect(await Promise.all([batcher.submit(7), batcher.submit(8), batcher.submit(9)])).toEqual([7, 8, 9]);
    expect(batches).toEqual([{ slot: 0, requests: [7, 8, 9] }]);
  });

  it('spreads one turn past the weight limit over free slots at once, and later turns over the slots left', async () => {
    const batches: Array<{ slot: number; requests: number[] }> = [];
    const release: Array<() => void> = [];
    const batcher = createSlotBatcher<number, number>({
      slots: 3,
      maxBatchWeight: 2,
      async runBatch(slot, requests) {
        batches.push({ slot, requests });
        await new Promise<void>((resolve) => release.push(resolve));
        return requests;
      },
    });
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const firstTurn = [1, 2, 3].map((n) => batcher.submit(n));
    await nextTurn();
    // Both batches of the first turn run at once.
    expect(batches).toEqual([
      { slot: 0, requests: [1, 2] },
      { slot: 1, requests: [3] },
    ]);
    // A later turn takes the slot left; past that, requests wait for a slot to finish.
    const secondTurn = batcher.submit(4);
    await nextTurn();
    const waiting = [5, 6].map((n) => batcher.submit(n));
    await nextTurn();
    expect(batches.slice(2)).toEqual([{ slot: 2, requests: [4] }]);
    release.shift()!();
    expect(await Promise.all(firstTurn.slice(0, 2))).toEqual([1, 2]);
    await nextTurn();
    expect(batches.slice(3)).toEqual([{ slot: 0, requests: [5, 6] }]);
    while (release.length > 0) release.shift()!();
    await nextTurn();
    while (release.length > 0) release.shift()!();
    expect(await Promise.all([...firstTurn, secondTurn, ...waiting])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('spreads a heavy turn evenly over free slots, in as many batches as the split weight allows', async () => {
    const batches: Array<{ slot: number; requests: number[] }> = [];
    const batcher = createSlotBatcher<{ id: number; weight: number }, number>({
      slots: 4,
      minSplitWeight: 64,
      weightOf: (r) => r.weight,
      async runBatch(slot, requests) {
        batches.push({ slot, requests: requests.map((r) => r.id) });
        await new Promise((resolve) => setImmediate(resolve));
        return requests.map((r) => r.id);
      },
    });
    const turn = async (count: number, weight: number) => {
      batches.length = 0;
      await Promise.all(Array.from({ length: count }, (_, id) => batcher.submit({ id, weight })));
      return batches.map((b) => [b.slot, b.requests.length]);
    };
    // Less than two splits' worth: one batch.
    expect(await turn(12, 10)).toEqual([[0, 12]]);
    // 130: two batches of about 65, never a third for the remainder.
    expect(await turn(13, 10)).toEqual([
      [0, 6],
      [1, 7],
    ]);
    expect(await turn(19, 7)).toEqual([
      [0, 9],
      [1, 10],
    ]);
    // 320 would make five: four free slots, so four batches of 80.
    expect(await turn(32, 10)).toEqual([
      [0, 8],
      [1, 8],
      [2, 8],
      [3, 8],
    ]);
  });

  it('rejects only the request whose weight cannot be taken, and carries on', async () => {
    const batcher = createSlotBatcher<number, number>({
      slots: 1,
      weightOf: (n) => {
        if (n < 0) throw new Error('no weight');
        return 1;
      },
      runBatch: async (_slot, requests) => requests,
    });
    const outcomes = await Promise.allSettled([batcher.submit(1), batcher.submit(-1), batcher.submit(2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await batcher.submit(3)).toBe(3);
  });
});

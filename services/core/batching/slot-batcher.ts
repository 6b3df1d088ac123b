interface Waiter<Request, Answer> {
  request: Request;
  weight: number;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

/**
 * Runs concurrent requests in batches on a fixed number of slots. Requests wait for the
 * end of the event-loop turn that submitted them, so the calls a server reads off one
 * socket read share a batch, and an idle process adds no latency beyond the turn. Then
 * whatever is queued starts on the free slots, lowest first: in one batch, or, when it
 * weighs at least `minSplitWeight` per batch, spread evenly (to within one request)
 * over as many free slots as that allows, so the batches run side by side and the
 * first answers go out while the rest still run. Requests arriving while every slot is
 * busy wait for the next slot to finish and go together then. Each request is answered
 * only by the batch that carried it, with its own answer; if that batch fails, every
 * request in it gets the failure. A slot runs one batch at a time, and a quiet process
 * keeps to slot 0.
 */
export function createSlotBatcher<Request, Answer>({
  slots,
  runBatch,
  weightOf = () => 1,
  maxBatchWeight = Infinity,
  minSplitWeight = Infinity,
}: {
  /** Batches in flight at once. */
  slots: number;
  /** Runs `requests` as one batch on `slot`; resolves with one answer per request, in order. */
  runBatch: (slot: number, requests: Request[]) => Promise<Answer[]>;
  /** A request's share of a batch's size. */
  weightOf?: (request: Request) => number;
  /** A batch stops taking requests past this weight (a single heavier request still goes alone). */
  maxBatchWeight?: number;
  /** Queued requests are spread over several free slots only in batches at least this heavy. */
  minSplitWeight?: number;
}) {
  const queue: Array<Waiter<Request, Answer>> = [];
  // Lowest slot first (popped from the end).
  const freeSlots = Array.from({ length: slots }, (_, i) => slots - 1 - i);

  /** The next batch's waiters, oldest first, up to `limit` in weight (at least one), and that weight. */
  function takeBatch(limit: number): { batch: Array<Waiter<Request, Answer>>; weight: number } {
    let weight = 0;
    let count = 0;
    while (count < queue.length) {
      const next = queue[count]!.weight;
      if (count > 0 && weight + next > limit) break;
      weight += next;
      count += 1;
    }
    return { batch: queue.splice(0, count), weight };
  }

  let dispatchPending = false;
  /** Starts what is queued on the free slots, once the current turn is over. */
  function dispatchAfterTurn(): void {
    if (dispatchPending || queue.length === 0 || freeSlots.length === 0) return;
    dispatchPending = true;
    setImmediate(() => {
      dispatchPending = false;
      let queued = queue.reduce((sum, waiter) => sum + waiter.weight, 0);
      const batches = Math.max(1, Math.min(freeSlots.length, Math.floor(queued / minSplitWeight)));
      // Even shares of what is left, so the last batch is not a remainder of its own.
      for (let left = batches; left > 0 && queue.length > 0; left -= 1) {
        const share = left === 1 ? maxBatchWeight : Math.min(maxBatchWeight, Math.ceil(queued / left));
        const { batch, weight } = takeBatch(share);
        queued -= weight;
        void runOn(freeSlots.pop()!, batch);
      }
      // Past the weight limit, any other free slot takes more.
      while (queue.length > 0 && freeSlots.length > 0)
        void runOn(freeSlots.pop()!, takeBatch(maxBatchWeight).batch);
    });
  }

  async function runOn(slot: number, batch: Array<Waiter<Request, Answer>>): Promise<void> {
    try {
      const answers = await runBatch(
        slot,
        batch.map((w) => w.request),
      );
      batch.forEach((waiter, i) => waiter.resolve(answers[i]!));
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    } finally {
      freeSlots.push(slot);
      // Lowest slot first again.
      freeSlots.sort((a, b) => b - a);
      dispatchAfterTurn();
    }
  }

  return {
    /** Resolves with `request`'s answer once the batch carrying it has run; rejects if that batch failed. */
    submit(request: Request): Promise<Answer> {
      return new Promise((resolve, reject) => {
        // Weighed now, so a throwing weightOf rejects this request alone.
        queue.push({ request, weight: weightOf(request), resolve, reject });
        dispatchAfterTurn();
      });
    },
  };
}

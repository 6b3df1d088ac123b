interface Waiter<Request, Answer> {
  request: Request;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

/**
 * Runs concurrent requests in batches on a fixed number of slots. Requests submitted
 * in one turn of the event loop go together: at the end of that turn they start as one
 * batch on the lowest free slot (more batches, on more free slots, only past the weight
 * limit). So the calls a server reads off one socket read share a batch, and an idle
 * process adds no latency beyond the turn. Requests arriving while every slot is busy
 * wait, and all go together in the next batch a slot takes up. Each request is answered
 * only by the batch that carried it, with its own answer; if that batch fails, every
 * request in it gets the failure. A slot runs one batch at a time, and a busy one takes
 * the next batch itself, so the lowest slots carry the load and a quiet process keeps
 * to slot 0.
 */
export function createSlotBatcher<Request, Answer>({
  slots,
  runBatch,
  weightOf = () => 1,
  maxBatchWeight = Infinity,
}: {
  /** Batches in flight at once. */
  slots: number;
  /** Runs `requests` as one batch on `slot`; resolves with one answer per request, in order. */
  runBatch: (slot: number, requests: Request[]) => Promise<Answer[]>;
  /** A request's share of a batch's size. */
  weightOf?: (request: Request) => number;
  /** A batch stops taking requests past this weight (a single heavier request still goes alone). */
  maxBatchWeight?: number;
}) {
  const queue: Array<Waiter<Request, Answer>> = [];
  // Lowest slot first (popped from the end).
  const freeSlots = Array.from({ length: slots }, (_, i) => slots - 1 - i);

  /** The waiters of the next batch, oldest first. */
  function takeBatch(): Array<Waiter<Request, Answer>> {
    let weight = 0;
    let count = 0;
    while (count < queue.length) {
      const next = weightOf(queue[count]!.request);
      if (count > 0 && weight + next > maxBatchWeight) break;
      weight += next;
      count += 1;
    }
    return queue.splice(0, count);
  }

  // Batches start once the turn in which their requests were submitted is over.
  let dispatchPending = false;
  function dispatch(): void {
    dispatchPending = false;
    while (queue.length > 0 && freeSlots.length > 0) void runOn(freeSlots.pop()!);
  }

  async function runOn(slot: number): Promise<void> {
    const batch = takeBatch();
    try {
      const answers = await runBatch(
        slot,
        batch.map((w) => w.request),
      );
      batch.forEach((waiter, i) => waiter.resolve(answers[i]!));
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    } finally {
      if (queue.length > 0) void runOn(slot);
      else freeSlots.push(slot);
    }
  }

  return {
    /** Resolves with `request`'s answer once the batch carrying it has run; rejects if that batch failed. */
    submit(request: Request): Promise<Answer> {
      return new Promise((resolve, reject) => {
        queue.push({ request, resolve, reject });
        if (freeSlots.length > 0 && !dispatchPending) {
          dispatchPending = true;
          setImmediate(dispatch);
        }
      });
    },
  };
}

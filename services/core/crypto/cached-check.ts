/**
 * A health check that asks its provider at most once per `ttlMs`: readiness probes,
 * `keys status` and several replicas' load balancers may ask often, an HSM or KMS
 * should not be asked for each. Callers within the window share the last answer, a
 * failure included, so a provider that went away is seen within `ttlMs` and one that
 * came back as soon.
 */
export function createCachedCheck(check: () => Promise<void>, ttlMs = 1_000): () => Promise<void> {
  let last: { at: number; result: Promise<void> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ttlMs) {
      const result = check();
      // Kept settled either way: a rejection is handed to each caller, never left unhandled.
      result.catch(() => undefined);
      last = { at: now, result };
    }
    return last.result;
  };
}

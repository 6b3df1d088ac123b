/**
 * A condition a commit is made on: a boolean SQL expression (with `?` parameters) that
 * the database evaluates inside the transaction, under the same locks as the writes.
 * When it is false nothing is written and the commit fails with a
 * `precondition-failed` StorageError. Stores that commit conditionally take these
 * without knowing what they guard; whoever builds one owns what it means.
 */
export interface CommitPrecondition {
  /** Identifies the condition: two preconditions with one key are the same condition. */
  key: string;
  sql: string;
  params: unknown[];
}

/** Each distinct precondition once (by key). */
export function distinctPreconditions(all: readonly CommitPrecondition[]): CommitPrecondition[] {
  if (all.length < 2) return [...all];
  const seen = new Map<string, CommitPrecondition>();
  for (const p of all) seen.set(p.key, p);
  return [...seen.values()];
}

/** One expression that holds when every precondition does, with its parameters in order. */
export function allHold(preconditions: readonly CommitPrecondition[]): { sql: string; params: unknown[] } {
  return {
    sql: preconditions.map((p) => `(${p.sql})`).join(' AND '),
    params: preconditions.flatMap((p) => p.params),
  };
}

import { describe, expect, it } from 'vitest';
import { retryingTransaction, TRANSACTION_ATTEMPTS } from '../../services/storage/retrying-transaction.js';
import {
  isStorageError,
  StorageError,
  toStorageError,
  withStorageErrors,
} from '../../services/storage/storage-errors.js';

const driverError = (fields: Record<string, unknown>) => Object.assign(new Error('driver error'), fields);
// TypeORM wraps driver errors in QueryFailedError under `driverError`.
const queryFailed = (driver: Error) => Object.assign(new Error(driver.message), { driverError: driver });

describe('storage errors: driver codes sorted once, at the storage edge (pure logic)', () => {
  it.each([
    [
      'MariaDB duplicate key',
      queryFailed(driverError({ code: 'ER_DUP_ENTRY', errno: 1062 })),
      'unique-violation',
    ],
    ['SQLite unique constraint', driverError({ code: 'SQLITE_CONSTRAINT_UNIQUE' }), 'unique-violation'],
    ['SQLite primary key', driverError({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }), 'unique-violation'],
    ['InnoDB deadlock victim', queryFailed(driverError({ code: 'ER_LOCK_DEADLOCK' })), 'transient-abort'],
    ['SQLite stale snapshot', driverError({ code: 'SQLITE_BUSY_SNAPSHOT' }), 'transient-abort'],
    ['lock wait timeout', queryFailed(driverError({ code: 'ER_LOCK_WAIT_TIMEOUT' })), 'unavailable'],
    ['server gone', driverError({ code: 'ECONNREFUSED' }), 'unavailable'],
  ])('%s is %s, with the driver error kept as its cause', (_label, error, kind) => {
    const translated = toStorageError(error);
    expect(translated).toBeInstanceOf(StorageError);
    expect(translated).toMatchObject({ kind, cause: error });
    // Nothing of the driver's message reaches the caller's text.
    expect((translated as StorageError).message).not.toContain('driver error');
  });

  it('passes through what is not a driver condition: a bug, or an error thrown inside a transaction', () => {
    const bug = new TypeError('x is undefined');
    expect(toStorageError(bug)).toBe(bug);
    const syntax = queryFailed(driverError({ code: 'ER_PARSE_ERROR' }));
    expect(toStorageError(syntax)).toBe(syntax);
  });

  it('wraps every method of a store, sync and async, and leaves other members alone', async () => {
    const store = withStorageErrors({
      limit: 5,
      async insert() {
        throw driverError({ code: 'ER_DUP_ENTRY' });
      },
      lookup() {
        throw driverError({ code: 'ECONNRESET' });
      },
      async fine() {
        return 'ok';
      },
    });
    expect(store.limit).toBe(5);
    await expect(store.insert()).rejects.toSatisfy((e: unknown) => isStorageError(e, 'unique-violation'));
    expect(() => store.lookup()).toThrow(StorageError);
    await expect(store.fine()).resolves.toBe('ok');
  });
});

describe('retryingTransaction (pure logic)', () => {
  const deadlock = () => queryFailed(driverError({ code: 'ER_LOCK_DEADLOCK' }));

  it('runs the work again, whole, after a transient abort, and returns its result', async () => {
    let attempts = 0;
    const result = await retryingTransaction(
      (work) => work(undefined as never),
      async () => {
        attempts += 1;
        if (attempts < 3) throw deadlock();
        return 'committed';
      },
    );
    expect({ result, attempts }).toEqual({ result: 'committed', attempts: 3 });
  });

  it(`gives up after ${TRANSACTION_ATTEMPTS} attempts with a transient-abort StorageError`, async () => {
    let attempts = 0;
    const outcome = retryingTransaction(
      (work) => work(undefined as never),
      async () => {
        attempts += 1;
        throw deadlock();
      },
    );
    await expect(outcome).rejects.toSatisfy((e: unknown) => isStorageError(e, 'transient-abort'));
    expect(attempts).toBe(TRANSACTION_ATTEMPTS);
  });

  it('does not retry anything else', async () => {
    let attempts = 0;
    const refusal = new Error('refused by the domain');
    const outcome = retryingTransaction(
      (work) => work(undefined as never),
      async () => {
        attempts += 1;
        throw refusal;
      },
    );
    await expect(outcome).rejects.toBe(refusal);
    expect(attempts).toBe(1);
  });
});

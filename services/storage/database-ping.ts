import type { DataSource } from 'typeorm';

/**
 * True when the database answers `SELECT 1` within `timeoutMs`: readiness probes must
 * not hang on a dead pool, and a failed or slow answer is simply "not ready".
 */
export async function databaseAnswers(
  dataSource: Pick<DataSource, 'query' | 'isInitialized'>,
  timeoutMs: number,
): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([dataSource.query('SELECT 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

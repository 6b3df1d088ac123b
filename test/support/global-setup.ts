import { createConnection } from 'mysql2/promise';
import { MARIADB_ADMIN_URL } from './databases.js';

/** Fails the run at once, with a clear message, when the MariaDB the suites need is not reachable. */
export default async function globalSetup(): Promise<void> {
  try {
    const conn = await createConnection(MARIADB_ADMIN_URL);
    await conn.query('SELECT 1');
    await conn.end();
  } catch (error) {
    throw new Error(
      `MariaDB is not reachable at ${MARIADB_ADMIN_URL} (${(error as Error).message}). ` +
        'Start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
    );
  }
}

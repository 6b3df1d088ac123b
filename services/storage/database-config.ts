/** Where the database lives: an embedded SQLite file, or a MySQL/MariaDB server. */
export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'mysql'; url: string };

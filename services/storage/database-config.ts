/** One MySQL/MariaDB server of a list (a node of a Galera cluster). */
export interface DatabaseHost {
  host: string;
  port: number;
}

/**
 * Where the database lives: an embedded SQLite file, or a MySQL/MariaDB server. A
 * `mysql` config with `hosts` names several servers of one cluster (see
 * database-hosts.ts): connections go to one that answers, in order.
 */
export type DatabaseConfig =
  { kind: 'sqlite'; path: string } | { kind: 'mysql'; url: string; hosts?: DatabaseHost[] };

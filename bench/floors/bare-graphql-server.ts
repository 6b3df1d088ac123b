/**
 * The GraphQL floor: a bare Apollo Server over node http with trivial resolvers and no
 * auth, validation, encryption, audit or logging. `insert` is one bare INSERT
 * (autocommit); `page` is one keyset SELECT of 100 secrets. Prints `ready <url>`.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { randomUUID } from 'node:crypto';
import { createPool, type RowDataPacket } from 'mysql2/promise';

const pool = createPool({ uri: process.env.DATABASE_URL!, connectionLimit: 10, timezone: 'Z' });
await pool.query(
  `CREATE TABLE IF NOT EXISTS bench_floor_rows (id VARCHAR(36) PRIMARY KEY, name VARCHAR(128) NOT NULL,
     value VARCHAR(1024) NOT NULL, created_at DATETIME(3) NOT NULL)`,
);

const typeDefs = `#graphql
  type Row { id: ID!, name: String! }
  type Query { page(workspaceId: String!, after: String): [Row!]! }
  type Mutation { insert(name: String!, value: String!): ID! }
`;
const resolvers = {
  Query: {
    page: async (_: unknown, args: { workspaceId: string; after?: string | null }) => {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT id, name FROM secrets WHERE workspace_id = ? AND name > ? ORDER BY name, id LIMIT 100',
        [args.workspaceId, args.after ?? ''],
      );
      return rows;
    },
  },
  Mutation: {
    insert: async (_: unknown, args: { name: string; value: string }) => {
      const id = randomUUID();
      await pool.query('INSERT INTO bench_floor_rows (id, name, value, created_at) VALUES (?, ?, ?, ?)', [
        id,
        args.name,
        args.value,
        new Date(),
      ]);
      return id;
    },
  },
};

const server = new ApolloServer({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
console.log(`ready ${url}`);
process.once('SIGTERM', () => void server.stop().then(() => pool.end()));

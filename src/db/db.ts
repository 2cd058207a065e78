import pg from "pg";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;

/**
 * A statement each connection parses and plans once, then runs by name: for the queries run per call or per
 * webhook, where planning cost as much as running (the TwiML lookup 0.81 → 0.40 ms).
 */
export interface Prepared {
  name: string;
  text: string;
}

export const prepared = (name: string, text: string): Prepared => ({ name, text });

/** The narrow interface features depend on (not pg.Pool), so a transaction can stand in for the pool. */
export interface Queryable {
  query<R extends Row = Row>(text: string | Prepared, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** What the service needs of its database; the pool itself stays inside createDb. */
export interface Db extends Queryable {
  withTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** One connection for all of `work`, outside a transaction: session state (an advisory lock) holds across it. */
  withSession<T>(work: (session: Queryable) => Promise<T>): Promise<T>;
  /** Where a connection that keeps session state (LISTEN) goes: PostgreSQL itself, never a transaction pooler. */
  sessionConnection: pg.ClientConfig;
  /** The pool's connections, for /metrics. */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export const UNIQUE_VIOLATION = "23505";

// Bigint counts and numeric columns come back as numbers; our counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface DbOptions {
  connectionString: string;
  /** Every connection uses this schema first: one schema per test file. */
  schema?: string;
  max?: number;
  /**
   * `connectionString` is a PgBouncer in transaction pooling (PGBOUNCER=true): statements go unnamed, since
   * PgBouncer before 1.21 hands each transaction any server connection, where a named statement may not exist.
   * Session state (LISTEN) then uses `directConnectionString`.
   */
  transactionPooler?: { directConnectionString: string };
}

const unnamed = (q: string | Prepared) => (typeof q === "string" ? q : q.text);

export function createDb({ connectionString, schema, max = 20, transactionPooler }: DbOptions): Db {
  const session = { ...(schema ? { options: `-c search_path=${schema},public` } : {}) };
  const pool = new pg.Pool({ connectionString, max, ...session });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  // A connection in use also loses its server (a restart ends every session: 57P01): pg-pool listens only on idle
  // ones, and an 'error' nobody listens to would end the process. The statement running or next sent on that
  // connection fails instead, and the pool drops it when it is released.
  pool.on("connect", (client) => client.on("error", () => {}));
  const named = !transactionPooler;
  const onClient = (client: pg.PoolClient): Queryable =>
    named ? (client as unknown as Queryable) : { query: (text, values) => client.query(unnamed(text), values) };
  return {
    sessionConnection: transactionPooler
      ? { connectionString: transactionPooler.directConnectionString, ...session }
      : pool.options,
    query: named ? (text, values) => pool.query(text, values) : (text, values) => pool.query(unnamed(text), values),
    async withTransaction(work) {
      const client = await pool.connect();
      const tx = onClient(client);
      try {
        await client.query("BEGIN");
        const result = await work(tx);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async withSession(work) {
      const client = await pool.connect();
      try {
        return await work(onClient(client));
      } finally {
        client.release();
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

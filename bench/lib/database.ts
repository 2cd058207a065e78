import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createDb, type Db } from "../../src/db/db.js";
import { startEmbeddedPostgres } from "../../src/db/embedded.js";
import { migrate } from "../../src/db/migrate.js";

/** A PostgreSQL server the benchmarks run on: the machine's (DATABASE_URL) or an embedded one of our own. */
export interface BenchDatabase {
  kind: "server" | "embedded";
  url: string;
  /** e.g. "PostgreSQL 15.20". */
  version: string;
  stop(): Promise<void>;
  /** Embedded only: ALTER SYSTEM these settings and restart (the URL changes; open new pools). */
  reconfigure?(settings: Record<string, string>): Promise<void>;
}

async function versionOf(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const v = (await c.query<{ server_version: string }>("SHOW server_version")).rows[0].server_version;
    return `PostgreSQL ${v.split(" ")[0]}`;
  } finally {
    await c.end();
  }
}

export async function serverDatabase(url: string): Promise<BenchDatabase> {
  return { kind: "server", url, version: await versionOf(url), stop: async () => {} };
}

/** A fresh embedded cluster in a temporary directory, removed when stopped. */
export async function embeddedDatabase(log: (m: string) => void = () => {}): Promise<BenchDatabase> {
  // Under the system temp dir: the postgres OS user must be able to reach it when we run as root.
  const dir = mkdtempSync(join(tmpdir(), "burgernet-bench-pg-"));
  chmodSync(dir, 0o755);
  const dataDir = join(dir, "data");
  const t0 = performance.now();
  let server = await startEmbeddedPostgres({ dataDir, log });
  log(`embedded PostgreSQL ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const self: BenchDatabase = {
    kind: "embedded",
    url: server.connectionString,
    version: await versionOf(server.connectionString),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      if (server.dataDir !== dataDir) rmSync(server.dataDir, { recursive: true, force: true });
    },
    async reconfigure(settings) {
      const c = new pg.Client({ connectionString: self.url });
      await c.connect();
      try {
        for (const [name, value] of Object.entries(settings)) await c.query(`ALTER SYSTEM SET ${name} = '${value}'`);
      } finally {
        await c.end();
      }
      await server.stop();
      server = await startEmbeddedPostgres({ dataDir, log });
      self.url = server.connectionString;
    },
  };
  return self;
}

/** DATABASE_URL when set, otherwise an embedded server started for this run. */
export async function primaryDatabase(log: (m: string) => void): Promise<BenchDatabase> {
  const url = process.env.DATABASE_URL;
  return url ? serverDatabase(url) : embeddedDatabase(log);
}

export interface BenchSchema {
  name: string;
  /** A pool on the schema; reopened when an embedded server was restarted on another port. */
  readonly db: Db;
  /** A connection string that puts every connection (of a child process too) on this schema. */
  readonly url: string;
  drop(): Promise<void>;
}

/** A migrated schema of our own on `database`, dropped afterwards. */
export async function createSchema(database: BenchDatabase, prefix: string, max = 10): Promise<BenchSchema> {
  const name = `bench_${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  await admin.end();
  let poolUrl = database.url;
  let db = createDb({ connectionString: poolUrl, schema: name, max });
  await migrate(db);
  return {
    name,
    get db() {
      if (poolUrl !== database.url) {
        void db.close().catch(() => {});
        poolUrl = database.url;
        db = createDb({ connectionString: poolUrl, schema: name, max });
      }
      return db;
    },
    get url() {
      const u = new URL(database.url);
      u.searchParams.set("options", `-c search_path=${name},public`);
      return u.toString();
    },
    async drop() {
      await db.close().catch(() => {});
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db } from "../../src/db/db.js";
import { migrate } from "../../src/db/migrate.js";

/** The PostgreSQL the tests run on: DATABASE_URL, or the embedded one started by test/run.ts. */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the tests with `npm test`");
  return url;
}

/** A fresh, migrated schema of its own for one test file, dropped at the end. */
export async function createTestDb(): Promise<Db & { schema: string; drop(): Promise<void> }> {
  const url = testDatabaseUrl();
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = createDb({ connectionString: url, schema, max: 10 });
  await migrate(db);
  return Object.assign(db, {
    schema,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  });
}

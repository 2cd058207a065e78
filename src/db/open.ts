import type { Config } from "../config.js";
import { createDb, type Db } from "./db.js";
import { startEmbeddedPostgres } from "./embedded.js";
import { migrate } from "./migrate.js";

/** The database the configuration points at, or the embedded one, migrated and ready. */
export async function openDatabase(
  config: Config,
  log: (msg: string) => void,
): Promise<{ db: Db; close(): Promise<void> }> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.embeddedDataDir, log });
  const db = createDb({
    connectionString: config.databaseUrl ?? embedded!.connectionString,
    transactionPooler: config.transactionPooler,
  });
  try {
    // The migration lock is a session lock: behind a transaction pooler it is taken on PostgreSQL directly.
    const applied = config.transactionPooler
      ? await migrateDirect(config.transactionPooler.directConnectionString)
      : await migrate(db);
    if (applied.length) log(`migrations applied: ${applied.join(", ")}`);
  } catch (err) {
    await db.close();
    await embedded?.stop();
    throw err;
  }
  return {
    db,
    async close() {
      await db.close();
      await embedded?.stop();
    },
  };
}

async function migrateDirect(connectionString: string) {
  const direct = createDb({ connectionString, max: 1 });
  try {
    return await migrate(direct);
  } finally {
    await direct.close();
  }
}

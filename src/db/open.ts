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
  const db = createDb({ connectionString: config.databaseUrl ?? embedded!.connectionString });
  try {
    const applied = await migrate(db);
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

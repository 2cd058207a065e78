// npm run restored: the database was restored in a way the service cannot tell (a dump restored over the same
// database): the next start checks the deliveries of live alerts against the carrier before sending any.
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/open.js";
import { print } from "../cli/print.js";
import { loadDotEnv } from "../env-file.js";
import { restoreGuard } from "./guard.js";

loadDotEnv();

const { db, close } = await openDatabase(loadConfig(process.env), (msg) => print(msg));
try {
  await restoreGuard.declare(db);
} finally {
  await close();
}
print("restore declared: the next instance to start checks live alerts with the carrier before sending");

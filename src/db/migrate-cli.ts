// npm run migrate: apply the migrations in sql/ to DATABASE_URL (or the embedded database).
import { loadConfig } from "../config.js";
import { openDatabase } from "./open.js";
import { print } from "../cli/print.js";
import { loadDotEnv } from "../env-file.js";

loadDotEnv();

const { close } = await openDatabase(loadConfig(process.env), (msg) => print(msg));
await close();
print("database is up to date");

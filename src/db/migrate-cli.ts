// npm run migrate: apply the migrations in sql/ to DATABASE_URL (or the embedded database).
import { loadConfig } from "../config.js";
import { openDatabase } from "./open.js";

const { close } = await openDatabase(loadConfig(process.env), (msg) => console.log(msg));
await close();
console.log("database is up to date");

// npm run key:create -- --role operator --region RE05 [--label "meldkamer Amsterdam"]
import { parseArgs } from "node:util";
import { createApiKey, type Role } from "./keys.js";
import { openDatabase } from "../db/open.js";
import { loadConfig } from "../config.js";
import { print, printError } from "../cli/print.js";
import { loadDotEnv } from "../env-file.js";
import { isRegionCode } from "../regions/code.js";

const usage = `Usage: npm run key:create -- --role <role> [--region REnn] [--label text]

Creates an API key, stores only its hash and prints the key once.

  --role      registration | operator | admin | metrics (reads /metrics only)
  --region    RE01..RE10, the police unit an operator key is limited to (required for operator)
  --label     a note for whoever reads the key list later, e.g. "meldkamer Amsterdam"
  --help      this text

The database is DATABASE_URL (from the environment or .env), or the embedded one in EMBEDDED_PG_DIR.
In the production image: node dist/access/create-key-cli.js --role operator --region RE05`;

let values: { role?: string; region?: string; label?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      role: { type: "string" },
      region: { type: "string" },
      label: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (err) {
  printError(`${(err as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (values.help) {
  print(usage);
  process.exit(0);
}
const roles: Role[] = ["registration", "operator", "admin", "metrics"];
if (!values.role || !roles.includes(values.role as Role)) {
  printError(`--role must be one of ${roles.join(", ")}\n\n${usage}`);
  process.exit(2);
}
if (values.role === "operator" && !isRegionCode(values.region ?? "")) {
  printError("--region RE01..RE10 is required for an operator key");
  process.exit(2);
}
loadDotEnv();
const config = loadConfig(process.env);
const { db, close } = await openDatabase(config, () => {});
try {
  const { id, key } = await createApiKey(db, { role: values.role as Role, region: values.region, label: values.label });
  print(`API key ${id} (${values.role}${values.region ? ` ${values.region}` : ""}). Shown once, store it now:`);
  print(key);
} finally {
  await close();
}

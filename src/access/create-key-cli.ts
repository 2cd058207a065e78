// npm run key:create -- --role operator --region RE05 [--label "meldkamer Amsterdam"]
import { parseArgs } from "node:util";
import { createApiKey, type Role } from "./keys.js";
import { openDatabase } from "../db/open.js";
import { loadConfig } from "../config.js";
import { print, printError } from "../cli/print.js";

const { values } = parseArgs({
  options: { role: { type: "string" }, region: { type: "string" }, label: { type: "string" } },
});
const roles: Role[] = ["registration", "operator", "admin"];
if (!values.role || !roles.includes(values.role as Role)) {
  printError(`--role must be one of ${roles.join(", ")}`);
  process.exit(2);
}
if (values.role === "operator" && !/^RE(0[1-9]|10)$/.test(values.region ?? "")) {
  printError("--region RE01..RE10 is required for an operator key");
  process.exit(2);
}
const config = loadConfig(process.env);
const { db, close } = await openDatabase(config, () => {});
try {
  const { id, key } = await createApiKey(db, { role: values.role as Role, region: values.region, label: values.label });
  print(`API key ${id} (${values.role}${values.region ? ` ${values.region}` : ""}). Shown once, store it now:`);
  print(key);
} finally {
  await close();
}

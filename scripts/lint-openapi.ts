// npm run lint:api: Redocly CLI (redocly.yaml) on the OpenAPI document exactly as the service serves it, built
// without a database (scripts/generate-client.ts), and on docs/asyncapi.yaml (the live feed).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentDocument } from "./generate-client.js";

const dir = mkdtempSync(join(tmpdir(), "burgernet-openapi-"));
try {
  const file = join(dir, "openapi.json");
  writeFileSync(file, JSON.stringify(await currentDocument({ PUBLIC_URL: "https://burgernet.example.nl" }), null, 2));
  const redocly = spawnSync(
    process.execPath,
    ["node_modules/@redocly/cli/bin/cli.js", "lint", "--config", "redocly.yaml", file, "docs/asyncapi.yaml"],
    { stdio: "inherit", env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
  );
  process.exitCode = redocly.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

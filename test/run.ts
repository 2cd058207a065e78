// npm test: node's test runner over test/**/*.test.ts, on DATABASE_URL or on an embedded PostgreSQL started here.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres } from "../src/db/embedded.js";

// Node 20's runner does not expand globs: find the test files here.
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync("test", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => join("test", f))
      .sort();
let stop = async () => {};
const env = { ...process.env };
if (!env.DATABASE_URL) {
  const dir = mkdtempSync(join(tmpdir(), "burgernet-test-pg-"));
  chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must reach the directory
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, "pg") });
  env.DATABASE_URL = pg.connectionString;
  console.log(`tests run on an embedded PostgreSQL (${pg.connectionString})`);
  stop = async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
function runTests(list: string[], concurrency: number): Promise<number> {
  if (!list.length) return Promise.resolve(0);
  const args = ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...list];
  const child = spawn(process.execPath, args, { env, stdio: "inherit" });
  return new Promise((r) => child.on("exit", (c) => r(c ?? 1)));
}
// *.serial.test.ts assert wall-clock guarantees (never above the CPS in any second, the first urgent call within
// a second): they run afterwards, one at a time, so that other test files do not take the two cores from them.
const serial = files.filter((f) => f.endsWith(".serial.test.ts"));
const parallelCode = await runTests(
  files.filter((f) => !serial.includes(f)),
  2,
);
const serialCode = await runTests(serial, 1);
const code = parallelCode || serialCode;
await stop();
process.exit(code);

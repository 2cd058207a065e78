import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The service in a child process, with the environment given: node + tsx on src/server.ts, or with `built` what
 * `npm start` runs (dist/server.js of `npm run build`).
 */
export function startServiceProcess(
  env: Record<string, string>,
  { built = false } = {},
): {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
} {
  const entry = built ? ["--max-semi-space-size=4", "dist/server.js"] : ["--import", "tsx", "src/server.ts"];
  const child = spawn(process.execPath, entry, {
    cwd: root,
    // Quiet hours off, as in the in-process stack: the suite must not depend on the hour it runs at. A moved
    // clock (libfaketime, to run the suite "at night") is handed on, so the child keeps the tests' time.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      LOG_LEVEL: "info",
      QUIET_HOURS: "off",
      ...fakeTime(),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on("data", (d) => (out = (out + d).slice(-20_000)));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (/Server listening at/.test(out)) {
        child.stdout!.off("data", onData);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => reject(new Error(`service exited (${code}) before listening:\n${out}`)));
  });
  return { child, ready, exited, output: () => out };
}

function fakeTime(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && (k === "LD_PRELOAD" || k.startsWith("FAKETIME"))),
  ) as Record<string, string>;
}

/** DATABASE_URL that puts every connection of the child on the test file's schema. */
export function urlWithSchema(url: string, schema: string) {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema},public`);
  return u.toString();
}

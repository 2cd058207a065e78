import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "../helpers/stack.js";

/** Debian's package puts the binary in /usr/sbin, which is not on every PATH. */
export function pgbouncerBinary(): string | undefined {
  return ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].find((p) => existsSync(p));
}

export interface PgBouncer {
  /** What a service's DATABASE_URL is set to: database `burgernet` on the pooler. */
  url: string;
  port: number;
  output(): string;
  /** `immediate`: SIGTERM, which PgBouncer 1.18 (Debian here) takes as: drop every connection now. */
  stop(mode?: "safe" | "immediate"): Promise<void>;
}

/**
 * PgBouncer in transaction pooling in front of one database of `server`, configured as deploy/pgbouncer.ini is
 * (a small server pool, so many client connections share few PostgreSQL backends, as in production).
 */
export async function startPgBouncer(
  server: URL,
  database: string,
  poolSize = 4,
  /** A port to listen on again: a restarted pooler, where the services' DATABASE_URL still points. */
  listenPort?: number,
): Promise<PgBouncer> {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error("pgbouncer is not installed (apt-get install pgbouncer)");
  const dir = mkdtempSync(join(tmpdir(), "burgernet-pgbouncer-"));
  chmodSync(dir, 0o755); // as root PgBouncer runs as `postgres`, which must read its configuration
  const port = listenPort ?? (await freePort());
  const user = decodeURIComponent(server.username || "postgres");
  writeFileSync(join(dir, "userlist.txt"), `"${user}" ""\n`);
  writeFileSync(
    join(dir, "pgbouncer.ini"),
    `[databases]
burgernet = host=${server.hostname} port=${server.port || 5432} dbname=${database} user=${user}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, "userlist.txt")}
pool_mode = transaction
default_pool_size = ${poolSize}
max_client_conn = 500
ignore_startup_parameters = extra_float_digits
`,
  );
  const asRoot = userInfo().uid === 0;
  const child: ChildProcess = spawn(binary, [...(asRoot ? ["-u", "postgres"] : []), join(dir, "pgbouncer.ini")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  await waitForPort(
    port,
    () => child.exitCode !== null,
    () => out,
  );
  return {
    url: `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/burgernet`,
    port,
    output: () => out,
    async stop(mode = "safe") {
      child.kill(mode === "immediate" ? "SIGTERM" : "SIGINT");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, failed: () => boolean, output: () => string) {
  const { connect } = await import("node:net");
  for (let i = 0; i < 100; i++) {
    if (failed()) throw new Error(`pgbouncer exited: ${output()}`);
    const open = await new Promise<boolean>((r) => {
      const s = connect(port, "127.0.0.1", () => (s.end(), r(true)));
      s.on("error", () => r(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`pgbouncer never listened on ${port}: ${output()}`);
}

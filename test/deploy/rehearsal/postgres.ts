import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../helpers/stack.js";
import type { Compose } from "../topology.js";
import { rehearsalEnv } from "../topology.js";
import { asRoot, listening, run, start } from "./proc.js";

/** Debian's server binaries (initdb, postgres are not on PATH): the newest major installed. */
function binDir(): string {
  const majors = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  const found = majors.map((m) => `/usr/lib/postgresql/${m}/bin`).find((d) => existsSync(join(d, "initdb")));
  if (!found) throw new Error("PostgreSQL's server is not installed (apt-get install postgresql)");
  return found;
}

export interface Postgres {
  port: number;
  /** psql as the superuser over the socket (local trust, as in the postgres image). */
  superuser(sql: string): Promise<string>;
  /** Client tools (pg_dump, pg_restore, createdb) pointed at this server. */
  clientEnv: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The postgres service: a fresh data directory as the image makes it (initdb with the superuser's password from its
 * secret and compose's POSTGRES_INITDB_ARGS), the server with compose's command, then deploy/postgres/
 * 10-burgernet-role.sh as the image runs its init scripts, then compose's healthcheck (pg_isready as burgernet).
 */
export async function startPostgres(dir: string, secrets: string, compose: Compose): Promise<Postgres> {
  const bin = binDir();
  const env = rehearsalEnv(compose, "postgres", secrets, {});
  const data = join(dir, "pgdata");
  const socket = join(dir, "socket");
  for (const d of [data, socket]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
    if (asRoot) await run("chown", ["postgres:postgres", d]);
  }
  await run(
    join(bin, "initdb"),
    ["-D", data, "-U", "postgres", `--pwfile=${env.POSTGRES_PASSWORD_FILE}`, ...env.POSTGRES_INITDB_ARGS.split(" ")],
    { postgresUser: true },
  );
  const port = await freePort();
  const command = compose.services.postgres.command ?? ["postgres"];
  const server = start(
    join(bin, command[0]),
    [...command.slice(1), "-D", data, "-p", String(port), "-k", socket, "-c", "listen_addresses=127.0.0.1"],
    { postgresUser: true },
  );
  await listening(port, server, "postgres");
  const clientEnv = { PGHOST: socket, PGPORT: String(port) };
  await run("sh", ["deploy/postgres/10-burgernet-role.sh"], {
    env: {
      ...clientEnv,
      POSTGRES_USER: "postgres",
      BURGERNET_DB_PASSWORD_FILE: join(secrets, "burgernet_db_password"),
    },
  });
  await run("pg_isready", ["-h", "127.0.0.1", "-p", String(port), "-U", "burgernet", "-d", "burgernet"]);
  return {
    port,
    clientEnv,
    superuser: (sql) =>
      run("psql", ["-v", "ON_ERROR_STOP=1", "-U", "postgres", "-d", "postgres", "-Atc", sql], {
        env: clientEnv,
      }),
    async stop() {
      await server.stop("SIGINT"); // fast shutdown
    },
  };
}

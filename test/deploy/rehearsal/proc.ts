import { execFile, spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { userInfo } from "node:os";

/** CI runs as root: PostgreSQL and PgBouncer refuse to, so they run as `postgres` (Debian's package user). */
export const asRoot = userInfo().uid === 0;
const asPostgres = (cmd: string, args: string[]) =>
  asRoot ? { cmd: "runuser", args: ["-u", "postgres", "--", cmd, ...args] } : { cmd, args };

export interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM (or the signal given) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A long-running process whose output is kept (the last 200 kB) for the failure message. */
export function start(
  cmd: string,
  args: string[],
  { env = {}, postgresUser = false, cwd }: { env?: Record<string, string>; postgresUser?: boolean; cwd?: string } = {},
): Proc {
  const c = postgresUser ? asPostgres(cmd, args) : { cmd, args };
  const child = spawn(c.cmd, c.args, {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: a signal reaches the server under runuser or sh too.
    detached: true,
  });
  let out = "";
  const keep = (d: Buffer) => (out = (out + d).slice(-200_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return {
    child,
    output: () => out,
    exited,
    async stop(signal = "SIGTERM") {
      const group = (s: NodeJS.Signals) => {
        if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, s);
      };
      group(signal);
      const late = setTimeout(() => group("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(late);
      return code;
    },
  };
}

/** A command to its end; rejects with its output when it fails. */
export function run(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; postgresUser?: boolean; input?: string; cwd?: string } = {},
): Promise<string> {
  const c = opts.postgresUser ? asPostgres(cmd, args) : { cmd, args };
  return new Promise((resolve, reject) => {
    const child = execFile(
      c.cmd,
      c.args,
      { cwd: opts.cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...opts.env }, maxBuffer: 20e6 },
      (err, stdout, stderr) =>
        err
          ? reject(new Error(`${cmd} ${args.join(" ")} failed: ${err.message}\n${stdout}${stderr}`))
          : resolve(stdout),
    );
    // A command that reads no input may be gone before it is written to (EPIPE): nothing to report then.
    child.stdin!.on("error", () => {});
    child.stdin!.end(opts.input ?? "");
  });
}

/** Until something listens on the port (the process still running). */
export async function listening(port: number, p: Proc, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`${what} exited (${p.child.exitCode}):\n${p.output()}`);
    const open = await new Promise<boolean>((r) => {
      const s = connect(port, "127.0.0.1", () => (s.end(), r(true)));
      s.on("error", () => r(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} never listened on ${port}:\n${p.output()}`);
}

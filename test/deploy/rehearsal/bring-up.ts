import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServiceProcess } from "../../helpers/service-process.js";
import { freePort } from "../../helpers/stack.js";
import { DOT_ENV, REHEARSAL_ONLY, readCompose, rehearsalEnv, withAddress } from "../topology.js";
import { startPostgres } from "./postgres.js";
import { run } from "./proc.js";
import { startCaddy, startPrometheus, startShippedPgBouncer, startSim } from "./services.js";

export type Instance = ReturnType<typeof startServiceProcess>;
export type Deployment = Awaited<ReturnType<typeof bringUp>>;

/**
 * deploy/compose.yaml's services, in its order, from its files: secrets by deploy/new-secrets.sh, PostgreSQL with
 * the role script, PgBouncer, migrations once, Caddy, the Twilio emulator, two built instances, Prometheus.
 */
export async function bringUp() {
  const compose = readCompose();
  const dir = mkdtempSync(join(tmpdir(), "burgernet-rehearsal-"));
  chmodSync(dir, 0o755); // PostgreSQL and PgBouncer run as `postgres` and read their files here
  const account = { sid: `AC${randomBytes(16).toString("hex")}`, token: randomBytes(16).toString("hex") };

  // deploy/new-secrets.sh, run where it is copied (it writes secrets/ beside itself), the token on its stdin.
  copyFileSync("deploy/new-secrets.sh", join(dir, "new-secrets.sh"));
  await run("sh", [join(dir, "new-secrets.sh")], { input: `${account.token}\n` });
  const secrets = join(dir, "secrets");
  // Compose mounts each file into its container; here the services read them in place, as other users.
  chmodSync(secrets, 0o755);

  const postgres = await startPostgres(dir, secrets, compose);
  const bouncer = await startShippedPgBouncer(dir, secrets, compose, postgres.port);
  for (const [file, key, port] of [
    ["database_url", "pooledUrl", bouncer.port],
    ["database_direct_url", "directUrl", postgres.port],
  ] as const) {
    const path = join(secrets, file);
    const url = withAddress(readFileSync(path, "utf8"), key, `@127.0.0.1:${port}/burgernet`);
    chmodSync(path, 0o644);
    writeFileSync(path, url);
    chmodSync(path, 0o444);
  }

  const httpsPort = await freePort();
  const publicHost = `localhost:${httpsPort}`;
  const simPort = await freePort();
  const ports = { a: await freePort(), b: await freePort() };
  const metrics = { a: await freePort(), b: await freePort() };
  const example = Object.fromEntries(
    readFileSync("deploy/.env.example", "utf8")
      .split("\n")
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  const localDotEnv: Record<string, string> = {
    PUBLIC_HOST: publicHost,
    PUBLIC_URL: `https://${publicHost}`,
    TWILIO_ACCOUNT_SID: account.sid,
    DISPATCH_CPS: "10",
  };
  const dotEnv = Object.fromEntries(
    Object.entries(DOT_ENV).map(([k, given]) => [k, given === "same" ? example[k] : localDotEnv[k]]),
  );
  const only = Object.fromEntries(Object.entries(REHEARSAL_ONLY).map(([k, v]) => [k, v.value]));
  only.TWILIO_API_URL = `http://127.0.0.1:${simPort}`;
  const commit = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
  const image = (port: number) => ({
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    BUILD_COMMIT: commit,
  });
  const envOf = (service: "migrate" | "burgernet-a" | "burgernet-b") => {
    const which = service === "burgernet-b" ? "b" : "a";
    const local = { TRUST_PROXY: "127.0.0.1/32", METRICS_PORT: String(metrics[which]), METRICS_HOST: "127.0.0.1" };
    return { ...image(ports[which]), ...dotEnv, ...only, ...rehearsalEnv(compose, service, secrets, local) };
  };
  // The migrate service's command, with its environment: what every `docker compose up` runs first.
  const migrate = () => run(process.execPath, ["dist/db/migrate-cli.js"], { env: envOf("migrate") });
  await migrate();

  const caddy = await startCaddy(dir, publicHost, httpsPort, [ports.a, ports.b]);
  const sim = await startSim(simPort, account, caddy.caFile);
  const instance = (service: "burgernet-a" | "burgernet-b") => startServiceProcess(envOf(service), { built: true });
  const instances = { a: instance("burgernet-a"), b: instance("burgernet-b") };
  await Promise.all([instances.a.ready, instances.b.ready]);
  const prometheus = await startPrometheus(dir, compose, [metrics.a, metrics.b]);

  return {
    dir,
    compose,
    account,
    secrets,
    postgres,
    bouncer,
    caddy,
    sim,
    simUrl: `http://127.0.0.1:${simPort}`,
    prometheus,
    publicUrl: `https://${publicHost}`,
    metrics,
    instances,
    instance,
    envOf,
    migrate,
    commit,
  };
}

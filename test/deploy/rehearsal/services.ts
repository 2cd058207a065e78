import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { pgbouncerBinary } from "../pgbouncer.js";
import { freePort } from "../../helpers/stack.js";
import { eventually } from "../../helpers/eventually.js";
import { rehearsalEnv, withAddress, type Compose } from "../topology.js";
import { listening, start, type Proc } from "./proc.js";

/** deploy/pgbouncer/pgbouncer.ini and entrypoint.sh as the image runs them, on 127.0.0.1 ports and local paths. */
export async function startShippedPgBouncer(dir: string, secrets: string, compose: Compose, postgresPort: number) {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error("pgbouncer is not installed (apt-get install pgbouncer)");
  const port = await freePort();
  const conf = join(dir, "pgbouncer");
  mkdirSync(conf, { recursive: true });
  chmodSync(conf, 0o777); // the entrypoint writes its auth file here as `postgres`
  let ini = readFileSync("deploy/pgbouncer/pgbouncer.ini", "utf8");
  ini = withAddress(ini, "pgbouncerServer", `host=127.0.0.1 port=${postgresPort}`);
  ini = withAddress(ini, "pgbouncerListen", `listen_port = ${port}`);
  ini = withAddress(ini, "pgbouncerListenAddr", "listen_addr = 127.0.0.1");
  ini = withAddress(ini, "pgbouncerAuthFile", `auth_file = ${conf}/userlist.txt`);
  writeFileSync(join(conf, "pgbouncer.ini"), ini);
  let entrypoint = readFileSync("deploy/pgbouncer/entrypoint.sh", "utf8");
  entrypoint = withAddress(entrypoint, "entrypointAuthFile", `${conf}/userlist.txt`);
  entrypoint = withAddress(entrypoint, "entrypointConfig", `${conf}/pgbouncer.ini`);
  writeFileSync(join(conf, "entrypoint.sh"), entrypoint);
  const env = rehearsalEnv(compose, "pgbouncer", secrets, {});
  const p = start("sh", [join(conf, "entrypoint.sh")], {
    postgresUser: true,
    env: { ...env, PATH: `${binary.replace(/\/pgbouncer$/, "")}:/usr/bin:/bin` },
  });
  await listening(port, p, "pgbouncer");
  return { port, proc: p };
}

/** deploy/Caddyfile with its upstreams on this machine; its own CA for localhost, trusted by no system store. */
export async function startCaddy(dir: string, publicHost: string, httpsPort: number, upstreams: number[]) {
  const home = join(dir, "caddy");
  mkdirSync(home, { recursive: true });
  const shipped = readFileSync("deploy/Caddyfile", "utf8");
  const caddyfile =
    `{\n\tadmin off\n\thttp_port ${await freePort()}\n\thttps_port ${httpsPort}\n\tskip_install_trust\n}\n` +
    withAddress(shipped, "caddyUpstreams", upstreams.map((p) => `127.0.0.1:${p}`).join(" "));
  writeFileSync(join(home, "Caddyfile"), caddyfile);
  const p = start("caddy", ["run", "--config", join(home, "Caddyfile"), "--adapter", "caddyfile"], {
    env: { PUBLIC_HOST: publicHost, XDG_DATA_HOME: join(home, "data"), XDG_CONFIG_HOME: join(home, "config") },
  });
  await listening(httpsPort, p, "caddy");
  const rootCert = join(home, "data", "caddy", "pki", "authorities", "local", "root.crt");
  await eventually(async () => existsSync(rootCert), { what: "Caddy's root certificate", timeoutMs: 30_000 });
  return { proc: p, caFile: rootCert, ca: readFileSync(rootCert, "utf8") };
}

/**
 * deploy/prometheus/ with its targets on this machine, scraping and evaluating every second and every `for:` of the
 * rules 5 s (the rules themselves unchanged), started with compose's command.
 */
export async function startPrometheus(dir: string, compose: Compose, targets: number[]) {
  const conf = join(dir, "prometheus");
  mkdirSync(conf, { recursive: true });
  const shipped = readFileSync("deploy/prometheus/prometheus.yml", "utf8");
  const config = withAddress(shipped, "scrapeTargets", JSON.stringify(targets.map((p) => `127.0.0.1:${p}`)))
    .replace(/(scrape|evaluation)_interval: \d+[sm]/g, "$1_interval: 1s")
    .replace(/scrape_timeout: \d+s/g, "scrape_timeout: 1s");
  writeFileSync(join(conf, "prometheus.yml"), config);
  writeFileSync(
    join(conf, "rules.yml"),
    readFileSync("deploy/prometheus/rules.yml", "utf8").replace(/for: \d+[sm]/g, "for: 5s"),
  );
  const port = await freePort();
  const command = (compose.services.prometheus.command ?? []).map((a) =>
    a.replace("/etc/prometheus", conf).replace("=/prometheus", `=${join(dir, "prometheus-data")}`),
  );
  const p = start("prometheus", [...command, `--web.listen-address=127.0.0.1:${port}`]);
  await listening(port, p, "prometheus");
  const url = `http://127.0.0.1:${port}`;
  const api = async <T>(path: string): Promise<T> => ((await (await fetch(url + path)).json()) as { data: T }).data;
  return { proc: p, url, api };
}

/** The Twilio emulator as `npm run sim` runs it, trusting Caddy's CA for the callbacks it sends to PUBLIC_URL. */
export async function startSim(port: number, account: { sid: string; token: string }, caFile: string): Promise<Proc> {
  const p = start(process.execPath, ["--import", "tsx", "src/sim/main.ts"], {
    env: {
      SIM_PORT: String(port),
      SIM_ACCOUNT_SID: account.sid,
      SIM_AUTH_TOKEN: account.token,
      SIM_CPS: "0",
      SIM_TIME_SCALE: "0.001",
      NODE_EXTRA_CA_CERTS: caFile,
      LOG_LEVEL: "warn",
    },
  });
  await listening(port, p, "the Twilio emulator");
  return p;
}

/** Calls or messages the emulator placed, per number, counted through its Twilio REST API. */
export async function sentPerNumber(
  simUrl: string,
  account: { sid: string; token: string },
  kind: "Calls" | "Messages",
) {
  const auth = `Basic ${Buffer.from(`${account.sid}:${account.token}`).toString("base64")}`;
  const counts = new Map<string, number>();
  let next: string | null = `/2010-04-01/Accounts/${account.sid}/${kind}.json?PageSize=1000`;
  while (next) {
    const res = await fetch(simUrl + next, { headers: { authorization: auth } });
    const page = (await res.json()) as Record<string, unknown> & { next_page_uri: string | null };
    for (const item of page[kind.toLowerCase()] as { to: string; direction: string }[])
      if (item.direction.startsWith("outbound")) counts.set(item.to, (counts.get(item.to) ?? 0) + 1);
    next = page.next_page_uri;
  }
  return counts;
}

// What the deployment rehearsal (rehearsal.deploy.ts) runs of deploy/compose.yaml, service by service, and how it
// gives each what compose gives it. test/deploy/compose.test.ts holds the two side by side: a service, variable,
// secret, file or port added to one and not the other fails it.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface ComposeService {
  environment?: Record<string, string | number | boolean>;
  env_file?: string | string[];
  secrets?: string[];
  volumes?: string[];
  ports?: string[];
  command?: string[];
  image?: string;
  build?: unknown;
}
export interface Compose {
  name: string;
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
}

export function readCompose(path = "deploy/compose.yaml"): Compose {
  return parse(readFileSync(path, "utf8"), { merge: true }) as Compose;
}

/**
 * How the rehearsal gives a variable: `same` (compose's value), `secret` (compose's /run/secrets/<name>, here a file
 * in the rehearsal's secrets folder), or `local` (an address, port or host of this one machine, where compose has
 * a network of containers; the text says what it is here).
 */
export type Given = "same" | "secret" | { local: string };

export interface RehearsedService {
  /** How the rehearsal runs it (Debian's package or the built service instead of the image). */
  runs: string;
  environment: Record<string, Given>;
  secrets: string[];
  /** Files of deploy/ the service mounts (the volume's source as compose writes it). */
  files: string[];
  /** Published ports (host:container) as compose writes them. */
  ports: string[];
}

const instanceEnv: Record<string, Given> = {
  NODE_ENV: "same",
  DATABASE_URL_FILE: "secret",
  PGBOUNCER: "same",
  DATABASE_DIRECT_URL_FILE: "secret",
  TWILIO_AUTH_TOKEN_FILE: "secret",
  POSTGRES_PASSWORD: "same",
  TRUST_PROXY: { local: "127.0.0.1/32: Caddy's address here" },
  METRICS_PORT: { local: "a free port per instance (both on one host)" },
  METRICS_HOST: { local: "127.0.0.1 (no container network to open it to)" },
};
const instance: RehearsedService = {
  runs: "node --max-semi-space-size=4 dist/server.js (the image's CMD) after npm run build",
  environment: instanceEnv,
  secrets: ["database_url", "database_direct_url", "twilio_auth_token"],
  files: [],
  ports: [],
};

export const REHEARSED: Record<string, RehearsedService> = {
  postgres: {
    runs: "Debian's PostgreSQL: initdb in a temporary folder, postgres -c max_connections=100 -c shared_buffers=512MB",
    environment: { POSTGRES_PASSWORD_FILE: "secret", POSTGRES_INITDB_ARGS: "same" },
    secrets: ["postgres_password", "burgernet_db_password"],
    files: ["./postgres/10-burgernet-role.sh"],
    ports: [],
  },
  pgbouncer: {
    runs: "Debian's PgBouncer with deploy/pgbouncer/pgbouncer.ini, started by deploy/pgbouncer/entrypoint.sh",
    environment: { DB_USER: "same", DB_PASSWORD_FILE: "secret" },
    secrets: ["burgernet_db_password"],
    files: [],
    ports: [],
  },
  migrate: {
    ...instance,
    runs: "node dist/db/migrate-cli.js, once, before the instances",
    environment: { ...instanceEnv, DATABASE_URL_FILE: "secret", PGBOUNCER: "same" },
  },
  "burgernet-a": instance,
  "burgernet-b": instance,
  caddy: {
    runs: "Debian's Caddy with deploy/Caddyfile, its own certificate authority for localhost (tls internal)",
    environment: { PUBLIC_HOST: { local: "localhost:<the HTTPS port>" } },
    secrets: [],
    files: ["./Caddyfile"],
    ports: ["80:80", "443:443"],
  },
  prometheus: {
    runs: "Debian's Prometheus with deploy/prometheus/ (targets and intervals rewritten, see prometheus.ts)",
    environment: {},
    secrets: [],
    files: ["./prometheus"],
    ports: [],
  },
};

/**
 * The image's own variables (Dockerfile ENV) and deploy/.env (env_file, from deploy/.env.example): each instance
 * gets these too. Values here are the rehearsal's.
 */
export const IMAGE_ENV: Record<string, Given> = {
  NODE_ENV: "same",
  PORT: { local: "a free port per instance" },
  HOST: { local: "127.0.0.1" },
  BUILD_COMMIT: { local: "git rev-parse HEAD" },
};

/** deploy/.env (from deploy/.env.example), which env_file gives the instances and compose reads PUBLIC_HOST from. */
export const DOT_ENV: Record<string, Given> = {
  PUBLIC_HOST: { local: "localhost:<the HTTPS port>" },
  PUBLIC_URL: { local: "https://localhost:<the HTTPS port>" },
  TWILIO_ACCOUNT_SID: { local: "the emulator's account" },
  TWILIO_FROM: "same",
  BURGERNET_NUMBER: "same",
  MELDKAMER_NUMBER: "same",
  DISPATCH_CPS: { local: "10, so that an alert of 60 takes 6 s" },
  SMS_MPS: "same",
  LOG_LEVEL: "same",
  CONSOLE_TILE_URL: "same",
};

/** Only in the rehearsal, each for its reason: not in compose, not in deploy/.env.example. */
export const REHEARSAL_ONLY: Record<string, { value: string; why: string }> = {
  TWILIO_API_URL: { value: "", why: "Twilio is the built-in emulator (npm run sim), not api.twilio.com" },
  QUIET_HOURS: { value: "off", why: "the test must not depend on the hour it runs at" },
  DISPATCH_LEASE_SECONDS: { value: "5", why: "the survivor takes a killed instance's work over in seconds, not 60" },
  CALLBACK_TIMEOUT_SECONDS: {
    value: "10",
    why: "a status callback the killed instance was handling is lost (Twilio does not retry): asked in 10 s, not 180",
  },
};

/** Addresses in the shipped files that name compose's containers; the rehearsal puts 127.0.0.1 ports there. */
export const ADDRESSES = {
  caddyUpstreams: { file: "deploy/Caddyfile", text: "burgernet-a:3000 burgernet-b:3000" },
  scrapeTargets: { file: "deploy/prometheus/prometheus.yml", text: '["burgernet-a:9464", "burgernet-b:9464"]' },
  pgbouncerServer: { file: "deploy/pgbouncer/pgbouncer.ini", text: "host=postgres port=5432" },
  pgbouncerListen: { file: "deploy/pgbouncer/pgbouncer.ini", text: "listen_port = 6432" },
  pgbouncerListenAddr: { file: "deploy/pgbouncer/pgbouncer.ini", text: "listen_addr = 0.0.0.0" },
  pgbouncerAuthFile: { file: "deploy/pgbouncer/pgbouncer.ini", text: "auth_file = /tmp/userlist.txt" },
  entrypointAuthFile: { file: "deploy/pgbouncer/entrypoint.sh", text: "/tmp/userlist.txt" },
  entrypointConfig: { file: "deploy/pgbouncer/entrypoint.sh", text: "/etc/pgbouncer/pgbouncer.ini" },
  pooledUrl: { file: "deploy/new-secrets.sh", text: "@pgbouncer:6432/burgernet" },
  directUrl: { file: "deploy/new-secrets.sh", text: "@postgres:5432/burgernet" },
} as const;

/** The shipped file with one of its container addresses replaced; a file that no longer has it fails loudly. */
export function withAddress(source: string, key: keyof typeof ADDRESSES, replacement: string): string {
  const { text, file } = ADDRESSES[key];
  if (!source.includes(text)) throw new Error(`${file} no longer has "${text}": update test/deploy/topology.ts`);
  return source.split(text).join(replacement);
}

/**
 * A service's environment as the rehearsal gives it: compose's values for `same`, the rehearsal's secret files
 * for `secret`, `local` values from the caller (a missing one fails: a new variable needs its local value).
 */
export function rehearsalEnv(
  compose: Compose,
  service: string,
  secretsDir: string,
  local: Record<string, string>,
): Record<string, string> {
  const env = compose.services[service].environment ?? {};
  return Object.fromEntries(
    Object.entries(REHEARSED[service].environment).map(([name, given]) => {
      if (given === "same") return [name, String(env[name])];
      if (given === "secret") return [name, `${secretsDir}/${String(env[name]).replace("/run/secrets/", "")}`];
      if (!(name in local)) throw new Error(`the rehearsal has no value for ${service}'s ${name} (${given.local})`);
      return [name, local[name]];
    }),
  );
}

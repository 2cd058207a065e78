import { existsSync, readFileSync } from "node:fs";
import { loadEnvFile } from "node:process";

/**
 * `.env` in the working directory, when there is one (as `.env.example` suggests); variables already set in the
 * environment win. Node 20's `--env-file-if-exists` prints a notice when the file is missing, so not that.
 */
export function loadDotEnv(path = ".env") {
  if (existsSync(path)) loadEnvFile(path);
}

/** The secrets the configuration reads: each may instead come from the file its X_FILE names. */
export const SECRET_VARIABLES = ["DATABASE_URL", "DATABASE_DIRECT_URL", "TWILIO_AUTH_TOKEN"] as const;

/**
 * Docker's and Kubernetes' secrets are files (/run/secrets/…): `X_FILE` names the file that holds X, whose one
 * trailing newline is not part of it. Problems name the variables, never what a file holds.
 */
export function secretsFromFiles(
  env: NodeJS.ProcessEnv,
  read: (path: string) => string = (path) => readFileSync(path, "utf8"),
): { env: NodeJS.ProcessEnv; fromFile: Set<string>; problems: string[] } {
  const resolved = { ...env };
  const fromFile = new Set<string>();
  const problems: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const path = env[`${name}_FILE`];
    if (!path) continue;
    if (env[name]) {
      problems.push(`${name} and ${name}_FILE are both set: set one`);
      continue;
    }
    let value: string;
    try {
      value = read(path).replace(/\r?\n$/, "");
    } catch (err) {
      problems.push(`${name}_FILE (${path}) cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
      continue;
    }
    if (!value.trim()) problems.push(`${name}_FILE (${path}) is empty`);
    resolved[name] = value;
    fromFile.add(name);
  }
  return { env: resolved, fromFile, problems };
}

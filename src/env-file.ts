import { existsSync } from "node:fs";
import { loadEnvFile } from "node:process";

/**
 * `.env` in the working directory, when there is one (as `.env.example` suggests); variables already set in the
 * environment win. Node 20's `--env-file-if-exists` prints a notice when the file is missing, so not that.
 */
export function loadDotEnv(path = ".env") {
  if (existsSync(path)) loadEnvFile(path);
}

import { readFileSync } from "node:fs";

/** The running release: package.json's version; the commit comes from BUILD_COMMIT (config.ts, the Dockerfile). */
export const VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

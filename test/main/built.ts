import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

const newestSource = () =>
  Math.max(
    ...readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).map(
      (f) => statSync(join(root, "src", f)).mtimeMs,
    ),
  );

/** `npm start` runs dist/: build it when it is missing or older than a source file. */
export function ensureBuilt() {
  const entry = join(root, "dist/server.js");
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestSource()) return;
  const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}

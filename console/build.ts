// npm run build:console: bundles console/src into static files in dist/console (served at /console).
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const out = process.argv[2] ?? here("../dist/console-ui/");

const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: { app: here("./src/main.ts") },
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  minify: true,
  sourcemap: "linked",
  outdir: out,
  loader: { ".png": "file", ".svg": "file" },
  assetNames: "assets/[name]-[hash]",
  metafile: true,
  logLevel: "warning",
  legalComments: "linked",
});
cpSync(here("./index.html"), `${out}/index.html`);
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
process.stdout.write(`console built in ${Date.now() - started} ms: ${out} (${Math.round(bytes / 1024)} KiB)\n`);

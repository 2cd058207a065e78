// npm run build: tsc emits only JavaScript; the data files the code reads beside itself come along here.
// (sql/, voice-scripts/ and templates/ are read from the project root, by dist/ exactly as by src/.)
import { cpSync } from "node:fs";

for (const dir of ["geo/data", "cap/schema"]) cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true });

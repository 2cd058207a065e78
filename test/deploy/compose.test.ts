// docker compose cannot run here (no container engine): deploy/compose.yaml and the deployment rehearsal
// (test/deploy/rehearsal.deploy.ts, declared in topology.ts) are held in step instead. A service, variable, secret,
// mounted file or published port added to one fails this test until the other has it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ADDRESSES, DOT_ENV, IMAGE_ENV, REHEARSAL_ONLY, REHEARSED, readCompose } from "./topology.js";

const compose = readCompose();
const sorted = (xs: Iterable<string>) => [...xs].sort();
const dotEnvExample = readFileSync("deploy/.env.example", "utf8")
  .split("\n")
  .filter((l) => /^[A-Z_]+=/.test(l))
  .map((l) => l.split("=")[0]);

test("the rehearsal runs every service of deploy/compose.yaml, and nothing else", () => {
  assert.deepEqual(sorted(Object.keys(compose.services)), sorted(Object.keys(REHEARSED)));
});

test("each service gets the same variables, secrets, mounted files and published ports in both", () => {
  for (const [name, service] of Object.entries(compose.services)) {
    const rehearsed = REHEARSED[name];
    const env = service.environment ?? {};
    assert.deepEqual(sorted(Object.keys(env)), sorted(Object.keys(rehearsed.environment)), `${name}: variables`);
    assert.deepEqual(sorted(service.secrets ?? []), sorted(rehearsed.secrets), `${name}: secrets`);
    for (const [variable, given] of Object.entries(rehearsed.environment)) {
      if (given !== "secret") continue;
      const file = String(env[variable]);
      assert.match(file, /^\/run\/secrets\/[a-z_]+$/, `${name}: ${variable} is a secret's file`);
      assert.ok(service.secrets?.includes(file.slice("/run/secrets/".length)), `${name}: ${file} is mounted`);
    }
    const files = (service.volumes ?? []).map((v) => v.split(":")[0]).filter((source) => source.startsWith("./"));
    assert.deepEqual(sorted(files), sorted(rehearsed.files), `${name}: files of deploy/`);
    assert.deepEqual(sorted(service.ports ?? []), sorted(rehearsed.ports), `${name}: published ports`);
  }
});

test("the instances' settings file and the image's variables are the rehearsal's too; its own additions are in neither", () => {
  assert.deepEqual(sorted(dotEnvExample), sorted(Object.keys(DOT_ENV)), "deploy/.env.example against DOT_ENV");
  const image = readFileSync("Dockerfile", "utf8");
  for (const variable of Object.keys(IMAGE_ENV)) assert.match(image, new RegExp(`\\b${variable}=`), variable);
  const composed = new Set(Object.values(compose.services).flatMap((s) => Object.keys(s.environment ?? {})));
  for (const variable of Object.keys(REHEARSAL_ONLY)) {
    assert.ok(!composed.has(variable) && !dotEnvExample.includes(variable), `${variable} is set in compose`);
  }
});

test("the container addresses the rehearsal replaces are the ones the shipped files name", () => {
  for (const { file, text } of Object.values(ADDRESSES)) assert.ok(readFileSync(file, "utf8").includes(text), text);
  const metricsPort = String(compose.services["burgernet-a"].environment?.METRICS_PORT);
  assert.ok(ADDRESSES.scrapeTargets.text.includes(`:${metricsPort}"`), "Prometheus scrapes METRICS_PORT");
  const port = /\bPORT=(\d+)/.exec(readFileSync("Dockerfile", "utf8"))![1];
  assert.ok(ADDRESSES.caddyUpstreams.text.includes(`burgernet-a:${port}`), "Caddy forwards to the image's PORT");
});

test("the compose file's top-level name needs Compose v2, and the guide says so", () => {
  assert.equal(compose.name, "burgernet");
  assert.match(readFileSync("docs/operations.md", "utf8"), /Compose v2[^.]*top-level `name`/);
});

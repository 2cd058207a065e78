/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is read as plain JSON */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { rowCounts } from "../helpers/rows.js";
import { seedAlert } from "../ivr/helpers.js";
import { chance, HOSTILE_IN_URL, mutate, pick, sample, seeded, withProtoKey, type Rng } from "./fuzz/values.js";
import { capturedLogger } from "../helpers/log-capture.js";

// Issue 21, "found by a machine": every operation of the served OpenAPI document (the Twilio webhooks have their
// own test) gets FUZZ_RUNS generated requests from a fixed FUZZ_SEED. None may answer 5xx; every 4xx has the one
// error shape and writes nothing; another unit's key never reaches this unit's data; /readyz keeps answering.
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? 21);

const { lines, logger } = capturedLogger("warn");
let s: Stack;
let doc: any;
/** Ids of this unit (RE05) and of another (RE07), per path prefix; participants belong to a key, not a unit. */
const own: Record<string, string[]> = {};
const others: Record<string, string[]> = {};

before(async () => {
  s = await startStack({
    env: { WEBHOOK_ALLOW_PRIVATE: "true" },
    dispatch: { autoStart: false },
    webhooks: { enabled: false },
    logger,
  });
  doc = (await s.app.inject({ url: "/openapi.json" })).json();
  const hook = async (key: string) =>
    (
      await s.app.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: bearer(key),
        payload: { url: "https://127.0.0.1:9/hook", eventTypes: ["alert.created"] },
      })
    ).json().id as string;
  const participant = await s.app.inject({
    method: "POST",
    url: "/v1/participants",
    headers: bearer(s.keys.registration),
    payload: { phone: "+31612398001", channels: ["sms"], locations: [{ kind: "home", postcode: "1012 AB" }] },
  });
  own["/v1/alerts"] = [await seedAlert(s.db), await seedAlert(s.db, { status: "closed" })];
  others["/v1/alerts"] = [await seedAlert(s.db, { region: "RE07" })];
  own["/v1/webhooks"] = [await hook(s.keys.operator)];
  others["/v1/webhooks"] = [await hook(s.keys.otherRegion)];
  own["/v1/participants"] = [participant.json().id];
});
after(() => s.close());

type Op = { method: string; path: string; op: any };
function operations(): Op[] {
  const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as object)
      .filter(([m]) => ["get", "post", "put", "patch", "delete"].includes(m))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
  // Deletions last, so that the other operations still find the fixtures.
  return ops
    .filter((o) => !o.path.startsWith("/twilio/"))
    .sort((a, b) => +(a.method === "DELETE") - +(b.method === "DELETE"));
}
const resolve = (x: any) => (x?.$ref ? doc.components.schemas[x.$ref.split("/").pop()] : x);
const prefixOf = (path: string) => Object.keys(own).find((p) => path.startsWith(`${p}/`));

const KEYS = ["operator", "operator", "otherRegion", "registration", "admin", "none", "bogus"] as const;
type KeyName = (typeof KEYS)[number];

interface Generated {
  method: string;
  url: string;
  key: KeyName;
  headers: Record<string, string>;
  payload?: string;
  /** The path names one of this unit's resources (another unit's key must get a 404 for it). */
  ownResource: boolean;
}

function generate(rng: Rng, { method, path, op }: Op): Generated {
  let ownResource = false;
  const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const prefix = prefixOf(path);
    const roll = rng();
    if (name === "code") return pick(rng, ["RE05", "RE07", "RE10", "RE99", ...HOSTILE_IN_URL.slice(0, 4)]);
    if (prefix && roll < 0.5) {
      ownResource = prefix !== "/v1/participants";
      return pick(rng, own[prefix]);
    }
    if (prefix && others[prefix] && roll < 0.65) return pick(rng, others[prefix]);
    return roll < 0.8 ? crypto.randomUUID() : pick(rng, HOSTILE_IN_URL);
  });
  const query: string[] = [];
  const headers: Record<string, string> = {};
  for (const p of op.parameters ?? []) {
    if (p.in === "path" || chance(rng, 0.4)) continue;
    const valid = chance(rng, 0.55);
    if (p.in === "header")
      headers[p.name] = valid ? "retry-1" : pick(rng, ["x".repeat(300), "", "\u00ff\u00fe", "a b"]);
    else
      query.push(
        `${p.name}=${valid ? encodeURIComponent(String(sample(rng, p.schema, resolve))) : pick(rng, HOSTILE_IN_URL)}`,
      );
  }
  if (chance(rng, 0.1)) query.push(pick(rng, ["extra=1", "__proto__[x]=1", "limit=1&limit=2", "a[b][c]=d"]));
  const key = pick(rng, KEYS);
  const g: Generated = { method, url: url + (query.length ? `?${query.join("&")}` : ""), key, headers, ownResource };
  body(rng, op, g);
  return g;
}

const TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/xml",
  "application/json; charset=utf-16",
  "multipart/form-data; boundary=x",
];

function body(rng: Rng, op: any, g: Generated) {
  const content = op.requestBody?.content ?? {};
  const [type, media] = (Object.entries(content)[0] ?? []) as [string | undefined, any];
  if (!type) {
    if (chance(rng, 0.15))
      Object.assign(g, { payload: '{"x":1}', headers: { ...g.headers, "content-type": "application/json" } });
    return;
  }
  if (type !== "application/json") return xmlBody(rng, media, g);
  let value: unknown = media.example && chance(rng, 0.5) ? media.example : sample(rng, media.schema, resolve);
  const roll = rng();
  let ct = "application/json";
  let text: string;
  if (roll < 0.15) text = JSON.stringify(value);
  else if (roll < 0.65) {
    for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) value = mutate(rng, value);
    text = JSON.stringify(value);
  } else if (roll < 0.75) text = withProtoKey(rng, value);
  else if (roll < 0.85) {
    text = JSON.stringify(value);
    ct = pick(rng, TYPES);
  } else if (roll < 0.93) text = JSON.stringify(value).slice(0, Math.floor(rng() * 20));
  else text = pick(rng, ["[]", '"x"', "1", "null", "true", `${"[".repeat(5000)}${"]".repeat(5000)}`, ""]);
  g.payload = text;
  g.headers["content-type"] = ct;
}

function xmlBody(rng: Rng, media: any, g: Generated) {
  const xml = String(media.example ?? "<alert/>");
  const at = Math.floor(rng() * xml.length);
  g.payload = pick(rng, [
    xml,
    xml.slice(0, at),
    `${xml.slice(0, at)}\u0000${xml.slice(at)}`,
    xml.replace("<info>", `<info>${"<x>".repeat(3000)}${"</x>".repeat(3000)}`),
    `<!DOCTYPE a [<!ENTITY e "x">]>${xml}`,
    xml.replace("</alert>", `<note>${"x".repeat(200_000)}</note></alert>`),
    xml.replace(/<sent>[^<]*</, "<sent>9999-12-31T23:59:60+00:00<"),
    xml.replace(/<identifier>[^<]*</, `<identifier>${"\ud800"}<`),
  ]);
  g.headers["content-type"] = pick(rng, [
    "application/cap+xml",
    "application/cap+xml",
    "application/json",
    "text/plain",
  ]);
}

function headersFor(g: Generated): Record<string, string> {
  if (g.key === "none") return g.headers;
  const key = g.key === "bogus" ? "bn_0000000000000000000000000000" : s.keys[g.key];
  return { ...g.headers, ...bearer(key) };
}

const describeReq = (g: Generated) =>
  `${g.method} ${g.url.slice(0, 200)} [${g.key}] ${g.headers["content-type"] ?? ""} ` +
  JSON.stringify(g.payload?.slice(0, 200) ?? "");

/** A refusal that writes on purpose: a wrong code is counted, or codes could be guessed without limit. */
const WRITES_ON_PURPOSE: Record<string, string[]> = { BN_VERIFICATION_FAILED: ["code_events"] };

async function check(g: Generated): Promise<string | null> {
  const before = await rowCounts(s.db);
  const res = await s.app.inject({ method: g.method as never, url: g.url, headers: headersFor(g), payload: g.payload });
  const where = `${describeReq(g)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
  if (res.statusCode >= 500) return where;
  if (g.key === "otherRegion" && g.ownResource && (res.statusCode < 300 || res.statusCode === 403))
    return `another unit's key reached this unit's resource: ${where}`;
  if (res.statusCode < 400) return null;
  let error: any;
  try {
    error = res.json().error;
  } catch {
    return `not JSON: ${where}`;
  }
  const shape = error && typeof error.message === "string" && /^BN_[A-Z0-9_]+$/.test(error.code);
  if (!shape || Object.keys(error).some((k) => !["code", "message", "details"].includes(k))) return `shape: ${where}`;
  const afterCounts = await rowCounts(s.db);
  for (const table of WRITES_ON_PURPOSE[error.code] ?? []) {
    delete before[table];
    delete afterCounts[table];
  }
  if (JSON.stringify(afterCounts) !== JSON.stringify(before))
    return `a ${res.statusCode} wrote: ${where} ${JSON.stringify({ before, after: afterCounts })}`;
  return null;
}

describe(`fuzz: ${RUNS} requests per operation, seed ${SEED}`, () => {
  test("the document lists the operator-facing operations", () => {
    assert.ok(operations().length >= 30, `${operations().length} operations`);
  });

  // The operations are known only once the document is read: one test walks them all, each failure named.
  test("no 5xx, the one error shape, nothing written by a 4xx, no unit reaches another's data", async () => {
    const rng = seeded(SEED);
    const failures: string[] = [];
    let sent = 0;
    for (const op of operations()) {
      for (let i = 0; i < RUNS; i++) {
        const failure = await check(generate(rng, op));
        if (failure) failures.push(failure);
        if (++sent % 100 === 0) assert.equal((await s.app.inject({ url: "/readyz" })).statusCode, 200);
      }
    }
    assert.deepEqual(failures.slice(0, 15), [], `${failures.length} of ${sent} requests failed`);
  });

  test("the service still answers /readyz, and logged no error and no value the schemas let through", async () => {
    assert.equal((await s.app.inject({ url: "/readyz" })).statusCode, 200);
    const bad = lines.filter((l) => /"level":(50|60)/.test(l) || l.includes("the schemas let through"));
    assert.deepEqual(bad.slice(0, 5), []);
  });
});

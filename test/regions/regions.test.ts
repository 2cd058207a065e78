import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

let stack: Stack;
before(async () => {
  stack = await startStack({ dispatch: { autoStart: false } });
});
after(async () => stack?.close());

const get = (url: string, key: string) => stack.app.inject({ method: "GET", url, headers: bearer(key) });

describe("regions", () => {
  test("an operator lists only their own police unit; an admin all ten", async () => {
    const mine = await get("/v1/regions", stack.keys.operator);
    assert.equal(mine.statusCode, 200);
    assert.deepEqual(mine.json(), [{ code: "RE05", name: "Amsterdam", meldkamerNumber: null }]);
    const all = (await get("/v1/regions", stack.keys.admin)).json() as { code: string }[];
    assert.equal(all.length, 10);
    assert.equal((await get("/v1/regions", stack.keys.registration)).statusCode, 403);
  });

  test("a unit comes with its CBS boundary and exactly its municipalities", async () => {
    const res = await get("/v1/regions/RE05", stack.keys.operator);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.boundary.type, "Feature");
    assert.match(body.boundary.geometry.type, /Polygon/);
    assert.deepEqual(
      body.municipalities.features.map((f: { properties: { name: string } }) => f.properties.name),
      ["Aalsmeer", "Amstelveen", "Amsterdam", "Diemen", "Ouder-Amstel", "Uithoorn"],
    );
    assert.equal(body.municipalities.features[2].properties.code, "GM0363");
    const other = await get("/v1/regions/RE07", stack.keys.operator);
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().error.code, "BN_FORBIDDEN");
    assert.equal((await get("/v1/regions/RE11", stack.keys.admin)).json().error.code, "BN_VALIDATION");
  });

  test("every municipality belongs to exactly one unit", async () => {
    let total = 0;
    const seen = new Set<string>();
    for (let i = 1; i <= 10; i++) {
      const code = `RE${String(i).padStart(2, "0")}`;
      const body = (await get(`/v1/regions/${code}`, stack.keys.admin)).json();
      for (const f of body.municipalities.features) seen.add(f.properties.code);
      total += body.municipalities.features.length;
    }
    assert.equal(total, 342); // CBS 2025
    assert.equal(seen.size, 342);
  });

  test("only an admin sets the meldkamer number, and it is audited", async () => {
    const put = (key: string, meldkamerNumber: string | null) =>
      stack.app.inject({ method: "PUT", url: "/v1/regions/RE05", headers: bearer(key), payload: { meldkamerNumber } });
    assert.equal((await put(stack.keys.operator, "+31201234567")).statusCode, 403);
    const bad = await put(stack.keys.admin, "020-1234567");
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, "BN_VALIDATION");
    const ok = await put(stack.keys.admin, "+31201234567");
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { code: "RE05", name: "Amsterdam", meldkamerNumber: "+31201234567" });
    assert.equal((await get("/v1/regions", stack.keys.operator)).json()[0].meldkamerNumber, "+31201234567");
    const audit = await stack.db.query(
      "SELECT action, details FROM audit_log WHERE subject_type = 'region' AND subject_id = 'RE05' AND action = " +
        "'region.meldkamer_set'",
    );
    assert.deepEqual(
      audit.rows.map((r) => r.details),
      [{ from: null, to: "+31201234567" }],
    );
    assert.equal((await put(stack.keys.admin, null)).json().meldkamerNumber, null);
  });
});

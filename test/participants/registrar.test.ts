import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { createApiKey } from "../../src/access/keys.js";

let s: Stack;
before(async () => {
  s = await startStack();
});
after(() => s.close());

test("a registration key sees only the participants it registered; an admin sees all", async () => {
  const other = (await createApiKey(s.db, { role: "registration" })).key;
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/participants",
    headers: bearer(s.keys.registration),
    payload: { phone: "+31622220001", channels: ["sms"], locations: [{ kind: "home", postcode: "1012 AB" }] },
  });
  assert.equal(res.statusCode, 202);
  const { id } = res.json();
  const as = (
    key: string,
    method: "GET" | "PATCH" | "DELETE" | "POST",
    url = `/v1/participants/${id}`,
    payload?: object,
  ) => s.app.inject({ method, url, headers: bearer(key), payload });

  for (const [method, url, payload] of [
    ["GET", `/v1/participants/${id}`],
    ["PATCH", `/v1/participants/${id}`, { language: "en" }],
    ["POST", `/v1/participants/${id}/verify`, { code: "123456" }],
    ["POST", `/v1/participants/${id}/resend`],
    ["DELETE", `/v1/participants/${id}`],
  ] as const) {
    const refused = await as(other, method, url, payload);
    assert.equal(refused.statusCode, 404, `${method} ${url}`);
    assert.equal(refused.json().error.code, "BN_PARTICIPANT_NOT_FOUND");
  }
  const row = (await s.db.query("SELECT status, language FROM participants WHERE id = $1", [id])).rows[0];
  assert.deepEqual(row, { status: "pending", language: "nl" }, "nothing changed");
  assert.equal((await as(s.keys.registration, "GET")).statusCode, 200);
  assert.equal((await as(s.keys.admin, "GET")).statusCode, 200);
});

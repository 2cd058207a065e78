import { test } from "node:test";
import assert from "node:assert/strict";
import { classifyCarrierError, type CarrierErrorClass } from "../../src/dispatch/carrier-errors.js";

test("carrier errors by class: account halts the channel, outages back off, lost answers reconcile, numbers end", () => {
  const rows: [string, unknown, CarrierErrorClass][] = [
    ["401 authenticate", { status: 401, code: 20003 }, "account"],
    ["account not active", { status: 403, code: 20005 }, "account"],
    ["account suspended (10001)", { status: 400, code: 10001 }, "account"],
    ["caller ID not verified", { status: 400, code: 21210 }, "account"],
    ["invalid caller ID", { status: 400, code: 21212 }, "account"],
    ["From not SMS-capable", { status: 400, code: 21606 }, "account"],
    ["403 without a code", { status: 403 }, "account"],
    ["500", { status: 500, code: 20500 }, "outage"],
    ["503 without a code", { status: 503 }, "outage"],
    ["429 too many requests", { status: 429, code: 20429 }, "outage"],
    ["connection refused", { code: "ECONNREFUSED" }, "outage"],
    ["DNS failure", { code: "ENOTFOUND" }, "outage"],
    ["reset after sending", { code: "ECONNRESET" }, "lost"],
    ["timeout", new Error("timeout of 15000ms exceeded"), "lost"],
    ["socket hang up", { code: "ECONNABORTED", message: "socket hang up" }, "lost"],
    ["invalid To", { status: 400, code: 21211 }, "number"],
    ["not a mobile number", { status: 400, code: 21614 }, "number"],
    ["invalid number (voice)", { status: 400, code: 13224 }, "number"],
    ["opted out at the carrier", { status: 400, code: 21610 }, "number"],
    ["body too long", { status: 400, code: 21617 }, "rejected"],
    ["unknown 400", { status: 400, code: 99999 }, "rejected"],
  ];
  for (const [name, err, kind] of rows) assert.equal(classifyCarrierError(err).kind, kind, name);
  assert.deepEqual(classifyCarrierError({ status: 401, code: 20003, message: "Authenticate" }), {
    kind: "account",
    status: 401,
    code: 20003,
    message: "Authenticate",
  });
});

test("each listed code decides on its own, whatever the HTTP status beside it", () => {
  const rows: [string, unknown, CarrierErrorClass][] = [
    ["401 without a code", { status: 401 }, "account"],
    ["account not active (20005) on a 400", { status: 400, code: 20005 }, "account"],
    ["test credentials on a live resource (20008)", { status: 400, code: 20008 }, "account"],
    ["call blocked (21216)", { status: 400, code: 21216 }, "number"],
    ["a number code on a 404", { status: 404, code: 21211 }, "number"],
    ["a code sent as text is not a Twilio code", { status: 400, code: "21211" }, "rejected"],
    ["temporary DNS failure", { code: "EAI_AGAIN" }, "outage"],
    ["network unreachable", { code: "ENETUNREACH" }, "outage"],
    ["host unreachable", { code: "EHOSTUNREACH" }, "outage"],
    ["nothing known", undefined, "lost"],
  ];
  for (const [name, err, kind] of rows) assert.equal(classifyCarrierError(err).kind, kind, name);
});

test("the operator reads what was thrown, also when it is not an Error; codes are only Twilio's numbers", () => {
  assert.deepEqual(classifyCarrierError({ code: "ECONNRESET", message: "read ECONNRESET" }), {
    kind: "lost",
    status: null,
    code: null,
    message: "read ECONNRESET",
  });
  assert.equal(classifyCarrierError("socket closed").message, "socket closed");
  assert.equal(classifyCarrierError({ status: 500, message: 42 }).message, "[object Object]");
  assert.equal(classifyCarrierError({ status: 400, code: "21211" }).code, null);
});

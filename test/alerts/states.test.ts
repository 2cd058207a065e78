import { test } from "node:test";
import assert from "node:assert/strict";
import {
  classifySubmitError,
  fromProvider,
  transition,
  type DeliveryStatus,
  type Transition,
} from "../../src/dispatch/states.js";

const policy = { maxAttempts: 3, delaysMs: [120_000, 300_000] };

test("status callbacks never move a delivery backwards, and retry busy / no-answer while the alert lives", () => {
  const rows: [DeliveryStatus, DeliveryStatus, number, boolean, Transition][] = [
    ["sending", "ringing", 1, true, { kind: "move", status: "ringing" }], // the callback may beat the stored SID
    ["submitted", "ringing", 1, true, { kind: "move", status: "ringing" }],
    ["ringing", "submitted", 1, true, { kind: "ignore" }], // late "initiated"
    ["in_progress", "ringing", 1, true, { kind: "ignore" }],
    ["answered", "in_progress", 1, true, { kind: "ignore" }], // final stays final
    ["answered", "answered", 1, true, { kind: "ignore" }], // duplicate
    ["ringing", "busy", 1, true, { kind: "retry", after: 120_000, reason: "busy" }],
    ["ringing", "no_answer", 2, true, { kind: "retry", after: 300_000, reason: "no_answer" }],
    ["ringing", "no_answer", 3, true, { kind: "move", status: "no_answer" }], // attempts used up
    ["ringing", "busy", 1, false, { kind: "move", status: "busy" }], // alert closed: no retry
    ["submitted", "failed", 1, true, { kind: "move", status: "failed" }],
    ["sent", "delivered", 1, true, { kind: "move", status: "delivered" }],
    ["delivered", "sent", 1, true, { kind: "ignore" }],
  ];
  for (const [from, to, attempts, alertLive, expected] of rows) {
    assert.deepEqual(
      transition(from, to, { attempts, alertLive, policy }),
      expected,
      `${from} + ${to} (attempt ${attempts})`,
    );
  }
});

test("Twilio statuses map to ours; AMD turns a completed call into a voicemail", () => {
  assert.equal(fromProvider("completed", "human"), "answered");
  assert.equal(fromProvider("completed", "machine_end_beep"), "voicemail");
  assert.equal(fromProvider("no-answer"), "no_answer");
  assert.equal(fromProvider("initiated"), "submitted");
  assert.equal(fromProvider("undelivered"), "undelivered");
  assert.equal(fromProvider("something-new"), null);
});

test("submit errors: invalid numbers stop, 429 and 5xx are retried, a lost answer is reconciled", () => {
  assert.equal(classifySubmitError({ status: 400, code: 21211 }), "permanent");
  assert.equal(classifySubmitError({ status: 400, code: 21614 }), "permanent");
  assert.equal(classifySubmitError({ status: 429, code: 20429 }), "retryable");
  assert.equal(classifySubmitError({ status: 503 }), "retryable");
  assert.equal(classifySubmitError({ code: "ECONNREFUSED" }), "retryable");
  assert.equal(classifySubmitError({ code: "ECONNRESET" }), "unknown");
  assert.equal(classifySubmitError(new Error("timeout of 15000ms exceeded")), "unknown");
});

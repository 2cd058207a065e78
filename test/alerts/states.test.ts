import { test } from "node:test";
import assert from "node:assert/strict";
import { sqlList } from "../../src/db/sql-list.js";
import { fromProvider, transition, type Transition } from "../../src/deliveries/machine.js";
import { DELIVERY_STATUSES, FINAL, type DeliveryStatus } from "../../src/deliveries/statuses.js";
import { fromStatuses, transitionsBetween, type TransitionName } from "../../src/deliveries/transitions.js";

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

// Every move between two statuses the service makes, and by which named transition; any pair not listed never
// happens (the last assertion checks all 14 × 14 pairs).
const MOVES: [DeliveryStatus, DeliveryStatus, TransitionName[]][] = [
  ["pending", "pending", ["toSms"]],
  ["pending", "sending", ["take"]],
  ["pending", "canceled", ["skip", "progress", "cancelUnsent", "erased"]],
  ["sending", "submitted", ["submitted", "progress", "adopt"]],
  // After a restore, the carrier's record of a call made after the dump (src/dispatch/restore-check.ts).
  ["pending", "submitted", ["progress", "adopt"]],
  ["submitted", "submitted", ["progress", "adopt"]],
  ["ringing", "submitted", ["progress", "adopt"]],
  ["in_progress", "submitted", ["progress", "adopt"]],
  ["sent", "submitted", ["progress", "adopt"]],
  ["sending", "pending", ["backToPending", "retry"]],
  ["sending", "failed", ["refused", "progress"]],
  ["sending", "canceled", ["dropped", "progress", "erased"]],
  ["submitted", "pending", ["retry"]],
  ["ringing", "pending", ["retry"]],
  ["in_progress", "pending", ["retry"]],
  ["sent", "pending", ["retry"]],
];

test("transition table: each status change is one of the named transitions, row by row", () => {
  const atCarrier: DeliveryStatus[] = ["submitted", "ringing", "in_progress", "sent"];
  const progress = (from: DeliveryStatus): [DeliveryStatus, DeliveryStatus, TransitionName[]][] =>
    [...atCarrier, ...FINAL].map((to) => [from, to, ["progress"]]);
  const expected = new Map<string, TransitionName[]>();
  for (const from of ["pending", "sending", ...atCarrier] as DeliveryStatus[])
    for (const [f, t, names] of progress(from)) expected.set(`${f}>${t}`, names);
  for (const [f, t, names] of MOVES) expected.set(`${f}>${t}`, names);
  for (const from of DELIVERY_STATUSES) {
    for (const to of DELIVERY_STATUSES) {
      const want = (expected.get(`${from}>${to}`) ?? []).slice().sort();
      assert.deepEqual(transitionsBetween(from, to).sort(), want, `${from} → ${to}`);
    }
  }
  // A final status is final: nothing the service does moves it again.
  for (const from of FINAL) for (const to of DELIVERY_STATUSES) assert.deepEqual(transitionsBetween(from, to), []);
});

test("a repeated callback is no move, and past the last retry delay the last one repeats", () => {
  const live = (attempts: number, maxAttempts = 5) => ({
    attempts,
    alertLive: true,
    policy: { ...policy, maxAttempts },
  });
  assert.deepEqual(transition("ringing", "ringing", live(1)), { kind: "ignore" });
  assert.deepEqual(transition("in_progress", "in_progress", live(1)), { kind: "ignore" });
  assert.deepEqual(transition("submitted", "submitted", live(1)), { kind: "ignore" });
  // Two delays listed, five attempts allowed: attempts 3 and 4 wait the last delay again.
  assert.deepEqual(transition("ringing", "busy", live(3)), { kind: "retry", after: 300_000, reason: "busy" });
  assert.deepEqual(transition("ringing", "no_answer", live(4)), { kind: "retry", after: 300_000, reason: "no_answer" });
  assert.deepEqual(transition("ringing", "busy", live(5)), { kind: "move", status: "busy" });
  // A final status never moves, not even to a retry.
  for (const from of FINAL) assert.deepEqual(transition(from, "busy", live(1)), { kind: "ignore" }, from);
});

test("every Twilio call and message status maps to ours; a fax or an answering machine is a voicemail", () => {
  const rows: [string, string | null | undefined, DeliveryStatus | null][] = [
    ["queued", undefined, "submitted"],
    ["initiated", undefined, "submitted"],
    ["accepted", undefined, "submitted"],
    ["scheduled", undefined, "submitted"],
    ["sending", undefined, "submitted"],
    ["ringing", undefined, "ringing"],
    ["in-progress", undefined, "in_progress"],
    ["completed", undefined, "answered"], // no answering-machine detection asked
    ["completed", null, "answered"],
    ["completed", "human", "answered"],
    ["completed", "unknown", "answered"],
    ["completed", "machine_start", "voicemail"],
    ["completed", "machine_end_silence", "voicemail"],
    ["completed", "fax", "voicemail"],
    ["busy", undefined, "busy"],
    ["no-answer", undefined, "no_answer"],
    ["failed", undefined, "failed"],
    ["canceled", undefined, "canceled"],
    ["sent", undefined, "sent"], // an SMS the carrier handed on: no receipt may ever come
    ["delivered", undefined, "delivered"],
    ["undelivered", undefined, "undelivered"],
    ["", undefined, null],
    ["Completed", undefined, null],
  ];
  for (const [status, answeredBy, ours] of rows)
    assert.equal(fromProvider(status, answeredBy), ours, `${status} ${answeredBy ?? ""}`);
});

test("the SQL status lists name exactly a transition's starting statuses", () => {
  assert.equal(fromStatuses("take"), "status IN ('pending')");
  assert.equal(
    fromStatuses("retry", "d.status"),
    "d.status IN ('sending', 'submitted', 'ringing', 'in_progress', 'sent')",
  );
  assert.equal(sqlList(["a", "b"]), "'a', 'b'");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ALERT_STATUSES,
  isEditable,
  isLiveAlert,
  liveAlertSql,
  nextAlertStatus,
  type AlertStatus,
  type AlertTransition,
} from "../../src/alerts/states.js";

// Every (status, transition) pair: where it leads, or null when the transition may not leave that status.
const rows: [AlertStatus, AlertTransition, AlertStatus | null][] = [
  ["draft", "dispatch", "dispatching"],
  ["draft", "dispatched", null],
  ["draft", "close", null],
  ["draft", "cancel", "cancelled"],
  ["dispatching", "dispatch", null],
  ["dispatching", "dispatched", "active"],
  ["dispatching", "close", "closed"],
  ["dispatching", "cancel", "cancelled"],
  ["active", "dispatch", null],
  ["active", "dispatched", null],
  ["active", "close", "closed"],
  ["active", "cancel", "cancelled"],
  ["closed", "dispatch", null],
  ["closed", "dispatched", null],
  ["closed", "close", null],
  ["closed", "cancel", null],
  ["cancelled", "dispatch", null],
  ["cancelled", "dispatched", null],
  ["cancelled", "close", null],
  ["cancelled", "cancel", null],
];

for (const [from, transition, to] of rows) {
  test(`alert ${from} --${transition}--> ${to ?? "refused"}`, () => {
    assert.equal(nextAlertStatus(from, transition), to);
  });
}

test("the table covers every status and transition", () => {
  assert.equal(rows.length, ALERT_STATUSES.length * 4);
});

test("live: dispatching or active and not expired; editable: a draft too", () => {
  const now = new Date("2026-12-02T10:00:00Z");
  const later = new Date(now.getTime() + 1000);
  assert.deepEqual(
    ALERT_STATUSES.map((status) => isLiveAlert({ status, expires_at: later }, now)),
    [false, true, true, false, false],
  );
  assert.equal(isLiveAlert({ status: "active", expires_at: now }, now), false, "expired at this instant");
  assert.deepEqual(ALERT_STATUSES.map(isEditable), [true, true, true, false, false]);
  assert.equal(liveAlertSql("x"), "(x.status IN ('dispatching', 'active') AND x.expires_at > now())");
});

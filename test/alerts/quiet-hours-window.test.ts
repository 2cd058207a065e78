import assert from "node:assert/strict";
import { test } from "node:test";
import { inQuietHours, localMinutes } from "../../src/rules/quiet-hours.js";

const ZONE = "Europe/Amsterdam";
// A winter day (UTC+1) and a summer day (UTC+2) in Amsterdam, at a local wall-clock time.
const winter = (hhmm: string) => new Date(`2026-01-15T${hhmm}:00+01:00`);
const summer = (hhmm: string) => new Date(`2026-07-15T${hhmm}:00+02:00`);

// [quiet hours, local time, quiet?]: a normal alert that would call at this minute waits (or becomes an SMS).
const rows: [{ start: string; end: string } | null, string, boolean][] = [
  [{ start: "23:00", end: "07:00" }, "22:59", false],
  [{ start: "23:00", end: "07:00" }, "23:00", true], // the first quiet minute
  [{ start: "23:00", end: "07:00" }, "00:00", true],
  [{ start: "23:00", end: "07:00" }, "06:59", true],
  [{ start: "23:00", end: "07:00" }, "07:00", false], // the call goes at 07:00 on the dot
  [{ start: "23:00", end: "07:00" }, "12:00", false],
  // A window that does not span midnight.
  [{ start: "01:00", end: "05:00" }, "00:59", false],
  [{ start: "01:00", end: "05:00" }, "01:00", true],
  [{ start: "01:00", end: "05:00" }, "04:59", true],
  [{ start: "01:00", end: "05:00" }, "05:00", false],
  [{ start: "01:00", end: "05:00" }, "23:30", false],
  // Bounds off the hour: the minutes of the bounds and of the time count.
  [{ start: "22:30", end: "06:45" }, "22:29", false],
  [{ start: "22:30", end: "06:45" }, "22:30", true],
  [{ start: "22:30", end: "06:45" }, "06:44", true],
  [{ start: "22:30", end: "06:45" }, "06:45", false],
  [{ start: "21:15", end: "21:45" }, "21:14", false],
  [{ start: "21:15", end: "21:45" }, "21:15", true],
  [{ start: "21:15", end: "21:45" }, "21:44", true],
  [{ start: "21:15", end: "21:45" }, "21:45", false],
  // Start equal to end is an empty window: never quiet.
  [{ start: "07:00", end: "07:00" }, "07:00", false],
  [{ start: "07:00", end: "07:00" }, "03:00", false],
  [{ start: "07:00", end: "07:00" }, "12:00", false],
  // No quiet hours at all.
  [null, "03:00", false],
];

test("quiet hours start on their first minute and end on their last, in winter and in summer time", () => {
  for (const [hours, hhmm, quiet] of rows) {
    const what = `${hours ? `${hours.start}–${hours.end}` : "none"} at ${hhmm}`;
    assert.equal(inQuietHours(winter(hhmm), hours, ZONE), quiet, `${what} (winter)`);
    assert.equal(inQuietHours(summer(hhmm), hours, ZONE), quiet, `${what} (summer)`);
  }
});

test("the local time is read in the zone, not in UTC", () => {
  assert.equal(localMinutes(new Date("2026-01-15T21:37:00Z"), ZONE), 22 * 60 + 37);
  assert.equal(localMinutes(new Date("2026-07-15T21:37:00Z"), ZONE), 23 * 60 + 37);
  assert.equal(localMinutes(new Date("2026-07-15T21:37:00Z"), "UTC"), 21 * 60 + 37);
  // 06:30 UTC is 07:30 in Amsterdam in winter: no longer quiet there, still quiet in UTC.
  const at = new Date("2026-01-15T06:30:00Z");
  assert.equal(inQuietHours(at, { start: "23:00", end: "07:00" }, ZONE), false);
  assert.equal(inQuietHours(at, { start: "23:00", end: "07:00" }, "UTC"), true);
});

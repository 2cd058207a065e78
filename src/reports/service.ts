import { Readable } from "node:stream";
import { assertOwnUnit } from "../access/auth.js";
import type { Principal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import type { Db, Row } from "../db/db.js";
import { Errors } from "../errors.js";
import { countByStatus, failedOf, firstAnswerAt, inProgressOf, sumOf } from "../deliveries/counts.js";
import { STATUS } from "../deliveries/statuses.js";
import { maskPhone } from "../participants/phone.js";
import { photoLinks } from "../deliveries/photo-links.js";
import { actualCost } from "../cost/actual.js";
import { reportQueries as q } from "./queries.js";

const seconds = (from: Date, to: Date | null) => (to ? Math.round((to.getTime() - from.getTime()) / 100) / 10 : null);

export const CSV_COLUMNS = [
  "id",
  "channel",
  "purpose",
  "language",
  "rank",
  "distance_m",
  "phone",
  "status",
  "attempts",
  "answered_by",
  "answered_at",
  "completed_at",
  "duration_s",
  "last_error_code",
] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = v instanceof Date ? v.toISOString() : String(v);
  // A leading = + - @ would be run as a formula by spreadsheet programs.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^[-+]?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(r: Row): string {
  return CSV_COLUMNS.map((c) => csvCell(c === "phone" ? maskPhone(r.phone) : r[c])).join(",") + "\r\n";
}

export function createReports(deps: { db: Db; pageSize?: number }) {
  const { db } = deps;
  const pageSize = deps.pageSize ?? 5_000;

  async function head(alertId: string, principal: Principal) {
    const alert = (await q.alertHead(db, alertId)).rows[0];
    if (!alert) throw new Errors.AlertNotFound();
    assertOwnUnit(principal, alert.region_code, () => new Errors.AlertNotFound());
    return alert;
  }

  return {
    async summary(alertId: string, principal: Principal) {
      const alert = await head(alertId, principal);
      const [c, firstAnswer, s, p, photo, cost, u, updateCounts] = await Promise.all([
        countByStatus(db, alertId),
        firstAnswerAt(db, alertId),
        q.sightingCounts(db, alertId),
        q.putThroughCount(db, alertId),
        photoLinks.countsForAlert(db, alertId),
        actualCost(db, alertId),
        q.followUps(db, alertId),
        countByStatus(db, alertId, "update"),
      ]);
      const { voice, sms } = c.byChannel;
      const t = s.rows[0];
      const created = alert.created_at;
      // Alert messages only (closing messages are not counted); `reached` as everywhere: participants reached.
      return {
        alertId,
        status: alert.status,
        mode: alert.mode,
        targeted: c.participants,
        reached: c.reached,
        inProgress: inProgressOf(c.byStatus),
        canceled: c.byStatus[STATUS.canceled] ?? 0,
        calls: {
          total: sumOf(voice),
          answered: voice[STATUS.answered] ?? 0,
          voicemail: voice[STATUS.voicemail] ?? 0,
          busy: voice[STATUS.busy] ?? 0,
          noAnswer: voice[STATUS.noAnswer] ?? 0,
          failed: failedOf(voice),
        },
        sms: { total: sumOf(sms), delivered: sms[STATUS.delivered] ?? 0, failed: failedOf(sms) },
        tips: { total: t.tips, voice: t.voice, sms: t.sms, inbound: t.inbound },
        // Answers to "are you nearby now?" (calls and SMS replies), per participant.
        presence: c.presence,
        putThrough: p.rows[0].n,
        timeToFirstAnswerSeconds: seconds(created, firstAnswer),
        timeToFirstTipSeconds: seconds(created, t.first_tip_at),
        // SMS that carried the photo link, how many of them were opened, and openings in all.
        photo: photo,
        cost,
        followUps: { ...u.rows[0], reached: updateCounts.reached },
        widened: alert.widened,
      };
    },

    /** The deliveries as CSV with masked phone numbers; the read is audited. */
    async csv(alertId: string, principal: Principal): Promise<Readable> {
      await head(alertId, principal);
      await audit(db, {
        actor: principal.keyId,
        action: "report.export_csv",
        subjectType: "alert",
        subjectId: alertId,
      });
      async function* lines() {
        yield CSV_COLUMNS.join(",") + "\r\n";
        let after = 0;
        for (;;) {
          const rows = (await q.deliveryPage(db, alertId, after, pageSize)).rows;
          if (rows.length === 0) return;
          yield rows.map(csvLine).join("");
          after = rows[rows.length - 1].id;
          if (rows.length < pageSize) return;
        }
      }
      return Readable.from(lines());
    },
  };
}

export type Reports = ReturnType<typeof createReports>;

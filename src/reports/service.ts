import { Readable } from "node:stream";
import { assertOwnUnit } from "../access/auth.js";
import type { Principal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import type { Db, Row } from "../db/db.js";
import { Errors } from "../errors.js";
import { maskPhone } from "../participants/phone.js";
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
      const [d, s, p] = await Promise.all([
        q.deliveryCounts(db, alertId),
        q.sightingCounts(db, alertId),
        q.putThroughCount(db, alertId),
      ]);
      const c = d.rows[0];
      const t = s.rows[0];
      const created = alert.created_at;
      return {
        alertId,
        status: alert.status,
        targeted: c.targeted,
        reached: c.reached,
        inProgress: c.in_progress,
        canceled: c.canceled,
        calls: {
          total: c.calls,
          answered: c.answered,
          voicemail: c.voicemail,
          busy: c.busy,
          noAnswer: c.no_answer,
          failed: c.calls_failed,
        },
        sms: { total: c.sms, delivered: c.sms_delivered, failed: c.sms_failed },
        tips: { total: t.tips, voice: t.voice, sms: t.sms, inbound: t.inbound },
        putThrough: p.rows[0].n,
        timeToFirstAnswerSeconds: seconds(created, c.first_answer_at),
        timeToFirstTipSeconds: seconds(created, t.first_tip_at),
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

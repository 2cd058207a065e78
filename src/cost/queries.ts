import type { Queryable } from "../db/db.js";
import { targetsCte, type TargetingInput } from "../alerts/targeting.js";

// Twilio prices Dutch numbers by prefix: +316 is mobile, every other +31 number is fixed.
const MOBILE = "phone LIKE '+316%'";

interface CountRow {
  language: string;
  voice_mobile: number;
  voice_fixed: number;
  sms: number;
  closing_sms: number;
  closing_calls: number;
}

export const costQueries = {
  /** Who the alert would reach, by language, mobile or fixed: the same targeting as the preview, writing nothing. */
  async counts(db: Queryable, input: TargetingInput) {
    const { sql, values } = targetsCte(input);
    return (
      await db.query<CountRow>(
        `WITH ${sql}
         SELECT language,
                count(*) FILTER (WHERE send_voice AND ${MOBILE})::int AS voice_mobile,
                count(*) FILTER (WHERE send_voice AND NOT ${MOBILE})::int AS voice_fixed,
                count(*) FILTER (WHERE send_sms)::int AS sms,
                count(*) FILTER (WHERE (send_voice OR send_sms) AND ${MOBILE})::int AS closing_sms,
                count(*) FILTER (WHERE (send_voice OR send_sms) AND NOT ${MOBILE})::int AS closing_calls
           FROM targets GROUP BY language`,
        values,
      )
    ).rows;
  },

  /** What a police unit's alerts created this calendar month (Dutch time) have cost so far, in euros. */
  async monthSpentEur(db: Queryable, region: string, now: Date): Promise<number> {
    const r = await db.query<{ eur: string | null }>(
      `SELECT sum(c.price_eur)::text AS eur
         FROM carrier_prices c JOIN alerts a ON a.id = c.alert_id
        WHERE c.region_code = $1
          AND a.created_at >= date_trunc('month', $2::timestamptz AT TIME ZONE 'Europe/Amsterdam')
                              AT TIME ZONE 'Europe/Amsterdam'`,
      [region, now],
    );
    return Number(r.rows[0].eur ?? 0);
  },
};

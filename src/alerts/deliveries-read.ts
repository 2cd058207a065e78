import type { Principal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import type { Db, Queryable } from "../db/db.js";
import { maskPhone } from "../participants/phone.js";
import { alertQueries as q, type AlertRow } from "./queries.js";

/** GET /v1/alerts/{id}/deliveries: an alert's deliveries, phone numbers masked, each read audited. */
export function deliveryReads(deps: {
  db: Db;
  load(id: string, principal: Principal, lock: boolean, tx: Queryable): Promise<AlertRow>;
}) {
  const { db, load } = deps;
  return {
    async deliveries(id: string, principal: Principal, query: { status?: string; after?: number; limit?: number }) {
      await load(id, principal, false, db);
      const rows = (await q.deliveries(db, id, query.status ?? null, query.after ?? 0, query.limit ?? 100)).rows;
      await audit(db, {
        actor: principal.keyId,
        action: "alert.deliveries_read",
        subjectType: "alert",
        subjectId: id,
        details: { count: rows.length },
      });
      // Operators never need the number itself: "press 1" already puts the citizen through (README, Personal data).
      return rows.map((r) => ({ ...r, phone: maskPhone(r.phone) }));
    },
  };
}

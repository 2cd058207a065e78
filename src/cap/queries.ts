import type { Queryable } from "../db/db.js";

/** A CAP message is idempotent per scope: the key's police unit, or 'admin'. */
export interface CapRef {
  sender: string;
  identifier: string;
  scope: string;
}

export const capQueries = {
  findMessage: (db: Queryable, m: CapRef) =>
    db.query<{ msg_type: string; alert_ids: string[]; result: unknown }>(
      "SELECT msg_type, alert_ids, result FROM cap_messages WHERE scope = $3 AND sender = $1 AND identifier = $2",
      [m.sender, m.identifier, m.scope],
    ),

  recordMessage: (
    db: Queryable,
    m: CapRef & { msgType: string; alertIds: string[]; result: object; receivedBy: string },
  ) =>
    db.query(
      `INSERT INTO cap_messages (sender, identifier, msg_type, alert_ids, result, received_by, scope)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [m.sender, m.identifier, m.msgType, m.alertIds, JSON.stringify(m.result), m.receivedBy, m.scope],
    ),

  alertByCapId: (db: Queryable, m: CapRef) =>
    db.query<{ id: string }>(
      "SELECT id FROM alerts WHERE cap_sender = $1 AND cap_identifier = $2 AND ($3 = 'admin' OR region_code = $3)",
      [m.sender, m.identifier, m.scope],
    ),

  /** A reference names the original Alert, or an Update that followed it, of the same scope. */
  referencedAlerts: (db: Queryable, m: CapRef) =>
    db.query<{ id: string }>(
      `SELECT id FROM alerts WHERE cap_sender = $1 AND cap_identifier = $2 AND ($3 = 'admin' OR region_code = $3)
       UNION SELECT unnest(alert_ids) FROM cap_messages WHERE sender = $1 AND identifier = $2 AND scope = $3`,
      [m.sender, m.identifier, m.scope],
    ),
};

/** Named statements of the CAP intake. Messages are idempotent per scope: the key's police unit, or 'admin'. */
export const findMessage = `SELECT msg_type, alert_ids, result FROM cap_messages WHERE scope = $3 AND sender = $1 AND identifier = $2`;

export const recordMessage = `
  INSERT INTO cap_messages (sender, identifier, msg_type, alert_ids, result, received_by, scope)
  VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`;

export const alertByCapId = `SELECT id FROM alerts WHERE cap_sender = $1 AND cap_identifier = $2 AND ($3 = 'admin' OR region_code = $3)`;

/** A reference names the original Alert, or an Update that followed it, of the same scope. */
export const referencedAlerts = `
  SELECT id FROM alerts WHERE cap_sender = $1 AND cap_identifier = $2 AND ($3 = 'admin' OR region_code = $3)
  UNION SELECT unnest(alert_ids) FROM cap_messages WHERE sender = $1 AND identifier = $2 AND scope = $3`;

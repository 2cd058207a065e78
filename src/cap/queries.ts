/** Named statements of the CAP intake. */
export const findMessage = `SELECT msg_type, alert_ids, result FROM cap_messages WHERE sender = $1 AND identifier = $2`;

export const recordMessage = `
  INSERT INTO cap_messages (sender, identifier, msg_type, alert_ids, result, received_by)
  VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`;

export const alertByCapId = `SELECT id FROM alerts WHERE cap_sender = $1 AND cap_identifier = $2`;

/** A reference names the original Alert, or an Update that followed it. */
export const referencedAlerts = `
  SELECT id FROM alerts WHERE cap_sender = $1 AND cap_identifier = $2
  UNION SELECT unnest(alert_ids) FROM cap_messages WHERE sender = $1 AND identifier = $2`;

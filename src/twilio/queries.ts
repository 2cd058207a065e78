import { prepared, type Queryable } from "../db/db.js";

export interface DeliveryOfRequest {
  provider_sid: string | null;
  phone: string;
  channel: "voice" | "sms";
  status: string;
  sending_at: Date | null;
}

// Read on every Twilio request that names a delivery: prepared once per connection.
const deliveryStatement = prepared(
  "twilio-delivery-sid",
  "SELECT provider_sid, phone, channel, status, sending_at FROM deliveries WHERE id = $1",
);

/** What a Twilio request that names a delivery is checked against. Read only: the deliveries are not ours. */
export const twilioQueries = {
  delivery: (db: Queryable, id: number) => db.query<DeliveryOfRequest>(deliveryStatement, [id]),
  /** Is this SID already another delivery's? */
  sidTaken: async (db: Queryable, sid: string) =>
    ((await db.query("SELECT 1 FROM deliveries WHERE provider_sid = $1", [sid])).rowCount ?? 0) > 0,
};

import type { FastifyInstance } from "fastify";
import { prepared, type Db, type Queryable } from "../db/db.js";
import { verifyTwilioSignature } from "../twilio/webhook-auth.js";
import { fromProvider, transition, type DeliveryStatus, type RetryPolicy } from "./states.js";

interface DeliveryState {
  id: number;
  status: DeliveryStatus;
  attempts: number;
  answered_by: string | null;
  live: boolean;
}

const statusQuery = {
  type: "object",
  required: ["delivery", "attempt"],
  properties: { delivery: { type: "integer", minimum: 1 }, attempt: { type: "integer", minimum: 1 } },
} as const;

// Every status callback runs these: prepared once per connection.
const lockDelivery = prepared(
  "status-lock-delivery",
  `SELECT d.id, d.status, d.attempts, d.answered_by,
          ((d.purpose = 'alert' AND a.status IN ('dispatching', 'active') AND a.expires_at > now())
            OR (d.purpose = 'closing' AND a.status = 'closed')) AS live
     FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.id = $1 FOR UPDATE OF d`,
);
const recordEvent = prepared(
  "status-record-event",
  "INSERT INTO call_events (delivery_id, provider_sid, kind, status, params) VALUES ($1, $2, $3, $4, $5)",
);
const move = prepared(
  "status-move",
  `UPDATE deliveries SET status = $2, provider_sid = coalesce(provider_sid, $3), answered_by = coalesce($4, answered_by),
          answered_at = CASE WHEN $2 IN ('in_progress', 'answered', 'voicemail') THEN coalesce(answered_at, now()) ELSE answered_at END,
          completed_at = CASE WHEN $2 IN ('answered', 'voicemail', 'delivered', 'busy', 'no_answer', 'failed', 'canceled', 'undelivered')
                              THEN now() ELSE completed_at END,
          duration_s = coalesce($5, duration_s), last_error_code = coalesce($6, last_error_code),
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE id = $1`,
);

async function applyCallback(
  tx: Queryable,
  kind: "call-status" | "sms-status",
  deliveryId: number,
  attempt: number,
  p: Record<string, string>,
  policy: RetryPolicy,
) {
  const sid = p.CallSid ?? p.MessageSid ?? p.SmsSid ?? null;
  const providerStatus = p.CallStatus ?? p.MessageStatus ?? p.SmsStatus ?? null;
  const d = (await tx.query<DeliveryState>(lockDelivery, [deliveryId])).rows[0];
  // Recorded after the row lock: inserting first would take a key-share lock through the foreign key, and two
  // callbacks of one call (Twilio sends them back to back) would then deadlock upgrading it.
  await tx.query(recordEvent, [d ? deliveryId : null, sid, kind, providerStatus, JSON.stringify(p)]);
  // A callback of an earlier attempt (a retried busy call) tells nothing about the current one.
  if (!d || d.attempts !== attempt || !providerStatus) return;
  const answeredBy = p.AnsweredBy ?? d.answered_by;
  const next = fromProvider(providerStatus, answeredBy);
  if (!next) return;
  const t = transition(d.status, next, { attempts: d.attempts, alertLive: d.live, policy });
  const errorCode = p.ErrorCode ? Number(p.ErrorCode) : null;
  if (t.kind === "move") {
    await tx.query(move, [
      d.id,
      t.status,
      sid,
      p.AnsweredBy ?? null,
      p.CallDuration ? Number(p.CallDuration) : null,
      errorCode,
    ]);
  } else if (t.kind === "retry") {
    await tx.query(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = now() + $2 * interval '1 millisecond', provider_sid = NULL,
              answered_by = NULL, last_error = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1`,
      [d.id, t.after, t.reason],
    );
  }
}

/** Twilio's status callbacks for our calls and messages: recorded raw, then applied through the state machine. */
export function statusCallbackRoutes(opts: { db: Db; publicUrl: string; authToken: () => string; retry: RetryPolicy }) {
  return async function (app: FastifyInstance) {
    app.addHook("preHandler", verifyTwilioSignature({ publicUrl: opts.publicUrl, authToken: opts.authToken }));
    const schema = { hide: true, querystring: statusQuery };

    for (const [path, kind] of [
      ["/twilio/voice/status", "call-status"],
      ["/twilio/sms/status", "sms-status"],
    ] as const) {
      app.post<{ Querystring: { delivery: number; attempt: number }; Body: Record<string, string> }>(
        path,
        { schema },
        async (req, reply) => {
          await opts.db.withTransaction((tx) =>
            applyCallback(tx, kind, req.query.delivery, req.query.attempt, req.body ?? {}, opts.retry),
          );
          return reply.code(204).send();
        },
      );
    }
  };
}

import { audit } from "../audit/audit.js";
import type { Queryable } from "../db/db.js";
import { webhookQueries as q } from "./queries.js";
import { KEY_REVOKED_REASON } from "./service.js";

/**
 * Runs in the transaction that revokes an API key: every subscription the key answers for is disabled and what was
 * queued for it will not be sent, so a revoked key's subscriptions send nothing more until an admin re-enables them
 * (PATCH status active, which makes the admin's key the one that answers for them). A request already on the wire
 * when the revocation commits is not called back.
 */
export async function disableSubscriptionsOfKey(tx: Queryable, keyId: string, actor: string, at: Date) {
  const disabled = (await q.disableByKey(tx, keyId, KEY_REVOKED_REASON)).rows;
  for (const { id } of disabled) {
    await q.failOpenDeliveries(tx, id, "subscription disabled: its API key was revoked");
    await audit(tx, {
      actor,
      action: "webhook.disabled",
      subjectType: "webhook_subscription",
      subjectId: id,
      details: { reason: "api_key.revoked", keyId },
      at,
    });
  }
  return disabled.length;
}

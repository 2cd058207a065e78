import type { Principal } from "../access/keys.js";
import type { Queryable } from "../db/db.js";
import { Errors } from "../errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which registration key registered the participant; only it (or an admin) may read, change or erase them. */
export async function recordRegistrar(tx: Queryable, participantId: string, keyId: string) {
  if (!UUID.test(keyId)) return;
  await tx.query("UPDATE participants SET registered_by = $2 WHERE id = $1", [participantId, keyId]);
}

/** Another key's participant is answered as not found: its existence is not the caller's business either. */
export async function assertRegistrar(db: Queryable, participantId: string, principal: Principal) {
  if (principal.role === "admin" || !UUID.test(participantId)) return;
  const res = await db.query<{ registered_by: string | null }>("SELECT registered_by FROM participants WHERE id = $1", [
    participantId,
  ]);
  const owner = res.rows[0]?.registered_by;
  if (owner && owner !== principal.keyId) throw new Errors.ParticipantNotFound();
}

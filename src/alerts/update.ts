import type { Principal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import type { Queryable } from "../db/db.js";
import { Errors } from "../errors.js";
import { assertFitsWithPhoto } from "../photos/service.js";
import { fallbackFigures, refuseLongFallbacks } from "./fallback.js";
import { smsInfo, type AlertInput } from "./input.js";
import { alertQueries as q, type AlertRow } from "./queries.js";
import type { AlertDeps } from "./service.js";
import { isEditable } from "./states.js";

interface UpdateDeps<Presented> extends AlertDeps {
  load(id: string, principal: Principal, lock: boolean, tx: Queryable): Promise<AlertRow>;
  present(a: AlertRow): Promise<Presented>;
}

export function createAlertUpdate<Presented>({ db, config, clock, load, present }: UpdateDeps<Presented>) {
  return {
    /**
     * Changes the texts and/or the expiry of a live or draft alert (CAP Update). Messages not yet sent use the
     * new texts; the area and channels stay as targeted.
     */
    async update(id: string, principal: Principal, patch: { texts?: AlertInput["texts"]; expiresInMinutes?: number }) {
      if (patch.texts) smsInfo({ texts: patch.texts, channels: ["sms"] } as AlertInput);
      const now = clock();
      const a = await db.withTransaction(async (tx) => {
        const a = await load(id, principal, true, tx);
        if (!isEditable(a.status)) throw new Errors.Conflict(`The alert is already ${a.status}`);
        if (patch.texts && a.presence_check)
          smsInfo({ ...patch, channels: ["sms"], presenceCheck: true } as AlertInput);
        const expiresAt = patch.expiresInMinutes
          ? new Date(now.getTime() + patch.expiresInMinutes * 60_000)
          : a.expires_at;
        const texts = patch.texts ?? a.texts;
        // Dropping a language's text sends its participants the Dutch one, introduced: it must still fit.
        const targeted = (a.targeting?.byLanguage ?? {}) as Parameters<typeof fallbackFigures>[1];
        refuseLongFallbacks(fallbackFigures(texts, targeted, a.channels, a.presence_check));
        // With a photo, each SMS text carries its link too.
        if (patch.texts) await assertFitsWithPhoto(tx, id, texts, a.channels, config.publicUrl, a.presence_check);
        await q.updateTexts(tx, id, texts, expiresAt);
        await audit(tx, {
          actor: principal.keyId,
          action: "alert.updated",
          subjectType: "alert",
          subjectId: id,
          details: { fields: Object.keys(patch) },
          at: now,
        });
        return { ...a, texts, expires_at: expiresAt };
      });
      return present(a);
    },
  };
}

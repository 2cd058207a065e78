import { assertOwnUnit } from "../access/auth.js";
import type { Principal } from "../access/keys.js";
import { alertQueries } from "../alerts/queries.js";
import { isEditable, isLiveAlert } from "../alerts/states.js";
import { audit } from "../audit/audit.js";
import type { Db, Queryable } from "../db/db.js";
import { PHOTO_TOKEN_PATTERN, photoLinks } from "../deliveries/photo-links.js";
import { Errors, withDetails } from "../errors.js";
import { MAX_SMS_SEGMENTS, outgoingSmsSegmentsWithLink } from "../rules/sms-segments.js";
import { withPresenceQuestion } from "../presence/sms-question.js";
import type { Language } from "../languages/languages.js";
import { preparePhoto } from "./image.js";
import { photoQueries as q } from "./queries.js";

/**
 * The SMS texts of an alert with a photo carry its link: each must still fit in 3 segments with it. Also checked
 * when the texts of an alert that has a photo change (CAP Update).
 */
export function assertFitsWithLink(
  texts: Record<string, { sms: string }>,
  channels: string[],
  publicUrl: string,
  askPresence = false,
) {
  if (!channels.includes("sms")) return;
  for (const [lang, t] of Object.entries(texts)) {
    // The presence question, when the alert asks it, goes out before the link (dispatch/submit.ts).
    const info = outgoingSmsSegmentsWithLink(
      withPresenceQuestion(t.sms, lang, askPresence),
      lang as Language,
      publicUrl,
    );
    if (info.segments > MAX_SMS_SEGMENTS)
      throw withDetails(
        new Errors.Validation(
          `With the photo link the ${lang} SMS text needs ${info.segments} segments; ` +
            `at most ${MAX_SMS_SEGMENTS}: shorten it`,
        ),
        { path: `texts/${lang}/sms`, ...info },
      );
  }
}

/** The same, for new texts of an alert that may have a photo (CAP Update). */
export async function assertFitsWithPhoto(
  tx: Queryable,
  alertId: string,
  texts: Record<string, { sms: string }>,
  channels: string[],
  publicUrl: string,
  askPresence = false,
) {
  if (await q.exists(tx, alertId)) assertFitsWithLink(texts, channels, publicUrl, askPresence);
}

export type PhotoPage =
  { kind: "missing" } | { kind: "gone" } | { kind: "live"; alertId: string; language: "nl" | "en"; text: string };

export function createPhotos(deps: { db: Db; publicUrl: string; clock: () => Date }) {
  const { db, publicUrl, clock } = deps;

  async function ownAlert(tx: Queryable, id: string, principal: Principal, lock = false) {
    const a = (await alertQueries.get(tx, id, lock)).rows[0];
    if (!a) throw new Errors.AlertNotFound();
    assertOwnUnit(principal, a.region_code, () => new Errors.AlertNotFound());
    return a;
  }

  async function page(token: string, view: boolean): Promise<PhotoPage> {
    if (!PHOTO_TOKEN_PATTERN.test(token)) return { kind: "missing" };
    const t = await photoLinks.open(db, token, false);
    if (!t) return { kind: "missing" };
    if (!isLiveAlert(t, clock()) || !t.has_photo) return { kind: "gone" };
    if (view) await photoLinks.open(db, token, true);
    return { kind: "live", alertId: t.alert_id, language: t.language, text: t.text ?? "" };
  }

  return {
    /** PUT /v1/alerts/{id}/photo: checked, cleaned and stored; SMS not yet sent carry its link. */
    async attach(id: string, principal: Principal, bytes: Buffer) {
      const a = await ownAlert(db, id, principal);
      if (!isEditable(a.status)) throw new Errors.Conflict(`The alert is already ${a.status}`);
      assertFitsWithLink(a.texts, a.channels, publicUrl, a.presence_check);
      const photo = await preparePhoto(bytes);
      await db.withTransaction(async (tx) => {
        const locked = await ownAlert(tx, id, principal, true);
        if (!isEditable(locked.status)) throw new Errors.Conflict(`The alert is already ${locked.status}`);
        await q.save(tx, {
          alertId: id,
          image: photo.image,
          width: photo.width,
          height: photo.height,
          keyId: principal.keyId,
        });
        await audit(tx, {
          actor: principal.keyId,
          action: "alert.photo_attached",
          subjectType: "alert",
          subjectId: id,
          details: { bytesIn: bytes.length, bytesStored: photo.image.length, width: photo.width, height: photo.height },
          at: clock(),
        });
      });
      return {
        alertId: id,
        contentType: photo.contentType,
        width: photo.width,
        height: photo.height,
        bytes: photo.image.length,
      };
    },

    /** The page behind an SMS link: a GET counts as one view of that delivery (a HEAD does not). */
    page: (token: string, view = true) => page(token, view),

    /** The image on that page (not counted again). */
    async image(token: string) {
      const p = await page(token, false);
      if (p.kind !== "live") return p;
      const row = (await q.get(db, p.alertId)).rows[0];
      return row
        ? { kind: "image" as const, image: row.image, contentType: row.content_type }
        : { kind: "gone" as const };
    },
  };
}

export type Photos = ReturnType<typeof createPhotos>;

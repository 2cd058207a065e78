import { createHash, randomInt } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import { Errors, withDetails } from "../errors.js";
import { insideNetherlands } from "../geo/boundaries.js";
import { lookupPc4, parsePostcode } from "../geo/pc4.js";
import { audit } from "../audit/audit.js";
import { erasePhone } from "./lifecycle.js";
import { takeAttemptSlot, takeSendSlot, type CodeLimits } from "./code-limits.js";
import { normalisePhone, phoneRefusal } from "./phone.js";
import { recordRegistrar } from "./registrar.js";
import { participantQueries as q, type LocationRow, type NewLocation, type ParticipantRow } from "./queries.js";
import { fromStored, toStored, type WeeklyWindow } from "./windows.js";
import type { Language } from "../languages/languages.js";
import { codeSpeech, codeText } from "./code-messages.js";

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;
export const MIN_RESEND_INTERVAL_MS = 60_000;

export interface LocationInput {
  kind: "home" | "work";
  postcode: string;
  houseNumber?: string;
  lat?: number;
  lon?: number;
  window?: WeeklyWindow;
}

export interface ParticipantDeps {
  db: Db;
  log: FastifyBaseLogger;
  clock: () => Date;
  sendSms: (to: string, body: string) => Promise<void>;
  /** Landlines cannot receive SMS: their code is read out in a call. */
  callWithMessage: (to: string, text: string, language: Language) => Promise<void>;
  /** Countries (ISO 3166) whose numbers may register; default NL only. */
  phoneCountries?: readonly string[];
  codeLimits: CodeLimits;
}

function hashCode(participantId: string, code: string) {
  return createHash("sha256").update(`${participantId}:${code}`).digest("hex");
}

export function resolveLocation(input: LocationInput, index: number): NewLocation {
  const postcode = parsePostcode(input.postcode);
  const at = `locations/${index}`;
  if (!postcode)
    throw withDetails(new Errors.UnknownPostcode(JSON.stringify(input.postcode)), { path: `${at}/postcode` });
  const pc4 = lookupPc4(postcode.pc4);
  if (!pc4) throw withDetails(new Errors.UnknownPostcode(postcode.normalised), { path: `${at}/postcode` });
  let lat = pc4.lat,
    lon = pc4.lon,
    source: "pc4" | "exact" = "pc4";
  if (input.lat !== undefined && input.lon !== undefined) {
    if (!insideNetherlands(input.lat, input.lon)) {
      throw withDetails(new Errors.OutsideNetherlands(`${input.lat},${input.lon}`), { path: at });
    }
    ({ lat, lon } = input as { lat: number; lon: number });
    source = "exact";
  }
  return {
    kind: input.kind,
    postcode: postcode.normalised,
    house_number: input.houseNumber ?? null,
    lat,
    lon,
    source,
    ...toStored(input.window),
  };
}

function checkPhone(phone: string, channels: string[], countries: readonly string[] = ["NL"]) {
  const refused = phoneRefusal(phone, countries);
  if (refused) throw withDetails(new Errors.PhoneNotAllowed(refused), { path: "phone" });
  const parsed = normalisePhone(phone);
  if (!parsed || parsed.type === "other")
    throw withDetails(new Errors.InvalidPhone("Not a valid phone number for Burgernet"), { path: "phone" });
  if (channels.includes("sms") && parsed.type !== "mobile") {
    throw withDetails(new Errors.InvalidPhone("SMS needs a mobile number"), { path: "channels" });
  }
  return parsed;
}

/** Text only means every alert by SMS: without the SMS channel nothing would ever reach them. */
function checkTextOnly(textOnly: boolean, channels: string[]) {
  if (textOnly && !channels.includes("sms"))
    throw withDetails(new Errors.Validation("A text-only participant needs the sms channel"), {
      path: "body/channels",
    });
}

export function presentParticipant(p: ParticipantRow, locations: LocationRow[]) {
  return {
    id: p.id,
    phone: p.phone,
    language: p.language,
    channels: p.channels,
    textOnly: p.text_only,
    drills: p.drills,
    status: p.status,
    locations: locations.map((l) => ({
      id: l.id,
      kind: l.kind,
      postcode: l.postcode,
      houseNumber: l.house_number,
      lat: l.lat,
      lon: l.lon,
      source: l.source,
      window: fromStored(l),
    })),
    createdAt: p.created_at.toISOString(),
    verifiedAt: p.verified_at?.toISOString() ?? null,
  };
}

export function createParticipants({
  db,
  log,
  clock,
  sendSms,
  callWithMessage,
  phoneCountries = ["NL"],
  codeLimits,
}: ParticipantDeps) {
  function newCode() {
    return String(randomInt(0, 1_000_000)).padStart(6, "0");
  }

  async function deliverCode(id: string, phone: string, phoneType: string | null, language: Language, code: string) {
    try {
      if (phoneType === "mobile") await sendSms(phone, codeText(language, code));
      else await callWithMessage(phone, codeSpeech(language, code), language);
    } catch (err) {
      log.warn({ err, participantId: id }, "verification SMS not accepted by the provider");
      throw new Errors.TooManyRequests("The verification code could not be sent now; ask for a new code shortly");
    }
  }

  async function load(id: string) {
    const p = (await q.get(db, id)).rows[0];
    if (!p || p.status === "erased") throw new Errors.ParticipantNotFound();
    return p;
  }

  return {
    /** Registers a pending participant and texts a code. The answer is the same whether the phone is known or not. */
    async register(
      input: {
        phone: string;
        language: Language;
        channels: string[];
        locations: LocationInput[];
        textOnly?: boolean;
        drills?: boolean;
      },
      actor: string,
    ) {
      const phone = checkPhone(input.phone, input.channels, phoneCountries);
      checkTextOnly(input.textOnly ?? false, input.channels);
      const locations = input.locations.map(resolveLocation);
      const now = clock();
      const code = newCode();
      const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
      const id = await db.withTransaction(async (tx) => {
        await takeSendSlot(tx, phone.e164, actor, now, codeLimits);
        const { id } = (
          await q.insert(tx, {
            phone: phone.e164,
            phoneType: phone.type,
            language: input.language,
            channels: input.channels,
            textOnly: input.textOnly ?? false,
            drills: input.drills,
            codeHash: "",
            expiresAt,
            now,
          })
        ).rows[0];
        await q.newCode(tx, id, hashCode(id, code), expiresAt, now);
        await recordRegistrar(tx, id, actor);
        await q.insertLocations(tx, id, locations);
        await audit(tx, {
          actor,
          action: "participant.registered",
          subjectType: "participant",
          subjectId: id,
          at: now,
        });
        return id;
      });
      await deliverCode(id, phone.e164, phone.type, input.language, code);
      return { id, status: "pending", codeExpiresAt: expiresAt.toISOString() };
    },

    async resend(id: string, actor: string) {
      const p = await load(id);
      if (p.status !== "pending") throw new Errors.Conflict("This participant is already verified");
      const now = clock();
      if (p.code_sent_at && now.getTime() - p.code_sent_at.getTime() < MIN_RESEND_INTERVAL_MS) {
        throw new Errors.TooManyRequests("Wait a minute before asking for a new code");
      }
      const code = newCode();
      const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
      await db.withTransaction(async (tx) => {
        await takeSendSlot(tx, p.phone!, actor, now, codeLimits);
        await q.newCode(tx, id, hashCode(id, code), expiresAt, now);
      });
      await audit(db, { actor, action: "participant.code_resent", subjectType: "participant", subjectId: id, at: now });
      await deliverCode(id, p.phone!, p.phone_type, p.language, code);
      return { id, status: "pending", codeExpiresAt: expiresAt.toISOString() };
    },

    /** Checks a code; on success the participant becomes active (and replaces an earlier registration of the phone). */
    async verify(id: string, code: string, actor: string) {
      const now = clock();
      const outcome = await db.withTransaction(async (tx) => {
        const p = (await q.get(tx, id, true)).rows[0];
        if (!p || p.status === "erased") throw new Errors.ParticipantNotFound();
        if (p.status !== "pending") throw new Errors.Conflict("This participant is already verified");
        if (p.code_attempts >= MAX_CODE_ATTEMPTS) return { error: "Too many attempts; ask for a new code" };
        if (!p.code_expires_at || p.code_expires_at <= now)
          return { error: "The code has expired; ask for a new code" };
        if (!(await takeAttemptSlot(tx, p.phone!, actor, now, codeLimits)))
          return { error: "Too many attempts for this number; try again later" };
        if (p.code_hash !== hashCode(id, code)) {
          const attempts = (await q.countAttempt(tx, id)).rows[0].code_attempts;
          return { error: "Wrong code", remaining: Math.max(0, MAX_CODE_ATTEMPTS - attempts) };
        }
        await q.supersedeActive(tx, p.phone!, now);
        await q.activate(tx, id, now);
        await audit(tx, { actor, action: "participant.verified", subjectType: "participant", subjectId: id, at: now });
        return { ok: true };
      });
      if ("error" in outcome) {
        throw withDetails(
          new Errors.VerificationFailed(outcome.error!),
          outcome.remaining === undefined ? undefined : { attemptsLeft: outcome.remaining },
        );
      }
      return this.get(id, actor);
    },

    async get(id: string, actor: string) {
      const p = await load(id);
      const locations = (await q.locations(db, id)).rows;
      await audit(db, { actor, action: "participant.read", subjectType: "participant", subjectId: id });
      return presentParticipant(p, locations);
    },

    async update(
      id: string,
      input: {
        language?: Language;
        channels?: string[];
        locations?: LocationInput[];
        textOnly?: boolean;
        drills?: boolean;
      },
      actor: string,
    ) {
      const p = await load(id);
      if (p.status === "unsubscribed") throw new Errors.Conflict("This participant has unsubscribed; register again");
      if (input.channels) checkPhone(p.phone!, input.channels, phoneCountries);
      checkTextOnly(input.textOnly ?? p.text_only, input.channels ?? p.channels);
      const locations = input.locations?.map(resolveLocation);
      const now = clock();
      await db.withTransaction(async (tx) => {
        await q.update(tx, id, input, now);
        if (locations) {
          await q.deleteLocations(tx, id);
          await q.insertLocations(tx, id, locations);
        }
        await audit(tx, {
          actor,
          action: "participant.updated",
          subjectType: "participant",
          subjectId: id,
          details: { fields: Object.keys(input) },
          at: now,
        });
      });
      return this.get(id, actor);
    },

    /**
     * Erasure everywhere the number was (lifecycle.ts); an anonymous tombstone keeps the counts of past alerts
     * right.
     */
    async erase(id: string, actor: string) {
      const p = await load(id);
      await erasePhone(db, p.phone!, clock(), actor, id);
    },
  };
}

export type Participants = ReturnType<typeof createParticipants>;

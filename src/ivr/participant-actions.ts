import type { Db } from "../db/db.js";
import type { Pc4 } from "../geo/pc4.js";
import * as lifecycle from "../participants/lifecycle.js";
import { claimStep } from "./steps.js";

/** What a citizen changes by phone or SMS is the participant lifecycle's to do; the IVR only adds its step keys. */
export type Channel = "voice" | "sms";

export const unsubscribePhone = (db: Db, phone: string, now: Date, via: Channel, fallbackRegion: string) =>
  lifecycle.unsubscribePhone(db, phone, now, via, fallbackRegion);

export const resubscribePhone = (db: Db, phone: string, now: Date) => lifecycle.resubscribePhone(db, phone, now);

/** A retried step (same key) moves nothing twice. */
export const moveHome = (
  db: Db,
  participantId: string,
  pc4: Pc4,
  now: Date,
  via: Channel,
  stepKey: string | null,
  postcode = pc4.pc4,
) => lifecycle.moveHome(db, participantId, { ...pc4, postcode }, now, via, (tx) => claimStep(tx, stepKey));

/** WIS by SMS: the phone itself asks, so every registration and trace of it goes. */
export const erasePhone = (db: Db, phone: string, now: Date, via: Channel) =>
  lifecycle.erasePhone(db, phone, now, `citizen:${via}`);

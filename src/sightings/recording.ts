import { Readable } from "node:stream";
import { Errors } from "../errors.js";
import type { Carrier } from "../twilio/carrier.js";

export interface CarrierAccount {
  accountSid: string;
  authToken: string;
  /** A Twilio-compatible API (the emulator); unset: Twilio. */
  apiUrl?: string;
}

const RECORDING_SID = /\/Recordings\/(RE[0-9a-fA-F]{32})(?:\.[a-z0-9]+)?$/;

export const recordingSidOf = (url: string) => RECORDING_SID.exec(new URL(url).pathname)?.[1] ?? null;

/** Only the carrier's own host gets the account credentials, whatever a stored URL says. */
function isCarrierUrl(url: URL, account: CarrierAccount): boolean {
  if (account.apiUrl) return url.origin === new URL(account.apiUrl).origin;
  return url.protocol === "https:" && /(^|\.)twilio\.com$/i.test(url.hostname);
}

/** Streams a recording from the carrier with the account's credentials (Twilio's media may require them). */
export function recordingFetcher(account: CarrierAccount | undefined) {
  return async (recordingUrl: string): Promise<{ type: string; body: Readable }> => {
    const url = new URL(recordingUrl);
    if (!account || !isCarrierUrl(url, account)) throw new Errors.NotFound("Recording");
    const auth = Buffer.from(`${account.accountSid}:${account.authToken}`).toString("base64");
    const res = await fetch(url, { headers: { authorization: `Basic ${auth}` }, redirect: "follow" });
    if (res.status === 404) throw new Errors.NotFound("Recording");
    if (!res.ok || !res.body) throw new Error(`carrier answered ${res.status} for a recording`);
    return { type: res.headers.get("content-type") ?? "audio/wav", body: Readable.fromWeb(res.body as never) };
  };
}

/** Deletes a recording at the carrier; one that is already gone counts as deleted. */
export async function deleteRecordingAtCarrier(
  carrier: Pick<Carrier, "deleteRecording">,
  recordingUrl: string,
): Promise<void> {
  const sid = recordingSidOf(recordingUrl);
  if (sid) await carrier.deleteRecording(sid);
}

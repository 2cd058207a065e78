import type { FastifyInstance } from "fastify";
import type { Network } from "./network.ts";
import { API_VERSION } from "./network.ts";
import { notFound } from "./rest-errors.ts";
import { rfc2822 } from "./time-format.ts";

/** Recording metadata, so that a RecordingUrl the network handed out resolves. No audio is kept. */
export function registerRecordingRoutes(app: FastifyInstance, net: Network): void {
  app.get<{ Params: { accountSid: string; sid: string } }>(
    "/2010-04-01/Accounts/:accountSid/Recordings/:sid.json",
    async (req, reply) => {
      const rec = net.store.recordings.get(req.params.sid);
      if (!rec) return notFound(reply, req.url);
      return {
        account_sid: net.accountSid,
        api_version: API_VERSION,
        call_sid: rec.callSid,
        date_created: rfc2822(rec.createdAt),
        date_updated: rfc2822(rec.createdAt),
        duration: String(rec.seconds),
        sid: req.params.sid,
        status: "completed",
        channels: 1,
        source: "RecordVerb",
        uri: `/2010-04-01/Accounts/${net.accountSid}/Recordings/${req.params.sid}.json`,
      };
    },
  );
}

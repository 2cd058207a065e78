import type { FastifyInstance, FastifyReply } from "fastify";
import type { Network } from "./network.ts";
import { API_VERSION } from "./network.ts";
import { notFound } from "./rest-errors.ts";
import { rfc2822 } from "./time-format.ts";

/**
 * Recording metadata, so that a RecordingUrl the network handed out resolves; its media (silence of the recorded
 * length, as WAV or "MP3" bytes: no audio is kept); and DELETE, as Twilio's API has it.
 */
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

  app.delete<{ Params: { accountSid: string; sid: string } }>(
    "/2010-04-01/Accounts/:accountSid/Recordings/:sid.json",
    async (req, reply) => {
      if (!net.store.recordings.delete(req.params.sid)) return notFound(reply, req.url);
      return reply.code(204).send();
    },
  );

  const media =
    (format: "wav" | "mp3") => async (req: { params: { sid: string }; url: string }, reply: FastifyReply) => {
      const rec = net.store.recordings.get(req.params.sid);
      if (!rec) return notFound(reply, req.url);
      return reply.type(format === "wav" ? "audio/x-wav" : "audio/mpeg").send(silence(Math.min(rec.seconds, 60)));
    };
  app.get<{ Params: { sid: string } }>("/2010-04-01/Accounts/:accountSid/Recordings/:sid", media("wav"));
  app.get<{ Params: { sid: string } }>("/2010-04-01/Accounts/:accountSid/Recordings/:sid.wav", media("wav"));
  app.get<{ Params: { sid: string } }>("/2010-04-01/Accounts/:accountSid/Recordings/:sid.mp3", media("mp3"));
}

/** 8 kHz, 8-bit mono PCM silence. */
function silence(seconds: number): Buffer {
  const samples = Math.max(1, Math.round(seconds * 8000));
  const b = Buffer.alloc(44 + samples, 0x80);
  b.write("RIFF", 0);
  b.writeUInt32LE(36 + samples, 4);
  b.write("WAVEfmt ", 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(8000, 28);
  b.writeUInt16LE(1, 32);
  b.writeUInt16LE(8, 34);
  b.write("data", 36);
  b.writeUInt32LE(samples, 40);
  return b;
}

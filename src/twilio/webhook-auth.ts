import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from "fastify";
import twilio from "twilio";
import { Errors } from "../errors.js";

/** Twilio posts application/x-www-form-urlencoded; every parameter must be kept exactly as posted. */
export function installFormParser(app: FastifyInstance) {
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 64 * 1024 },
    (_req, body, done) => {
      const params: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) params[k] = v;
      done(null, params);
    },
  );
}

/** The URL Twilio signed: our public URL (not the Host we were reached on, which a proxy rewrites) + path + query. */
export function signedUrl(publicUrl: string, req: FastifyRequest): string {
  return publicUrl.replace(/\/$/, "") + req.url;
}

/**
 * Rejects (403, nothing written) any request whose X-Twilio-Signature does not match. The SDK's validator is
 * tolerant of an explicit port as Twilio is, but not of http vs https or a lost query string.
 */
export function verifyTwilioSignature(opts: { publicUrl: string; authToken: () => string }): preHandlerHookHandler {
  return async (req) => {
    const signature = req.headers["x-twilio-signature"];
    const params = req.method === "POST" ? ((req.body as Record<string, string> | undefined) ?? {}) : {};
    const ok =
      typeof signature === "string" &&
      twilio.validateRequest(opts.authToken(), signature, signedUrl(opts.publicUrl, req), params);
    if (!ok) {
      req.log.warn({ url: req.url.split("?")[0] }, "rejected a Twilio webhook with a bad signature");
      throw new Errors.TwilioSignature();
    }
  };
}

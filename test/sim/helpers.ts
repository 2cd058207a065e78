import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import twilio from "twilio";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/sim/index.ts";
import { createTwilioClient, type TwilioClient } from "../../src/twilio/client.ts";

export const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
export const AUTH_TOKEN = "0123456789abcdef0123456789abcdef";
export const FROM = "+3185000000";

export async function emulatorWithClient(opts: EmulatorOptions = {}): Promise<{ emu: Emulator; client: TwilioClient }> {
  const emu = await startEmulator({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    cps: 0,
    timeScale: 0.001,
    ...opts,
  });
  const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiUrl: emu.url });
  return { emu, client };
}

export interface Hit {
  path: string;
  /** The request target as received (path and query). */
  url: string;
  params: Record<string, string>;
  /** Only the POST body parameters: what a signature covers besides the URL. */
  body: Record<string, string>;
  signature: string;
  signatureValid: boolean;
}

type Handler = (params: Record<string, string>, req: FastifyRequest) => string | { status: number; body?: string };

/**
 * A stand-in for the service: serves TwiML per path, checks every request's X-Twilio-Signature with the
 * SDK's validator over the URL it was requested at, and records what it received.
 */
export async function startTwimlApp(
  routes: Record<string, Handler>,
): Promise<{ url: string; hits: Hit[]; app: FastifyInstance }> {
  const app = Fastify();
  const hits: Hit[] = [];
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  let base = "";
  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split("?")[0];
    const params = (req.method === "POST" ? req.body : {}) as Record<string, string>;
    const query = Object.fromEntries(new URL(req.url, base).searchParams);
    const signature = String(req.headers["x-twilio-signature"] ?? "");
    const signatureValid = twilio.validateRequest(AUTH_TOKEN, signature, base + req.url, params ?? {});
    hits.push({ path, url: req.url, params: { ...query, ...params }, body: params ?? {}, signature, signatureValid });
    const handler = routes[path];
    if (!handler) return reply.code(200).send("");
    const out = handler({ ...query, ...params }, req);
    if (typeof out === "string") return reply.type("text/xml").send(out);
    return reply
      .code(out.status)
      .type("text/xml")
      .send(out.body ?? "");
  };
  app.post("/*", handle);
  app.get("/*", handle);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return { url: base, hits, app };
}

export function voice(build: (r: InstanceType<typeof twilio.twiml.VoiceResponse>) => void): string {
  const response = new twilio.twiml.VoiceResponse();
  build(response);
  return response.toString();
}

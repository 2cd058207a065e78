// The baseline for the webhook benchmark: a bare Fastify route serving static TwiML (no signature check, no
// database), parsing the same form bodies, in a process of its own like the service.
import Fastify from "fastify";

const TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="nl-NL">Burgernet. Dit is een testbericht.</Say><Hangup/></Response>';

const app = Fastify({ logger: false });
app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body as string)));
});
app.post("/twiml", async (_req, reply) => reply.type("text/xml").send(TWIML));
app.get("/healthz", async () => ({ status: "ok" }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));

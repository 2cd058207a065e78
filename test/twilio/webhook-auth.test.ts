import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import twilio from "twilio";
import { installErrorHandler } from "../../src/errors.js";
import { installFormParser, verifyTwilioSignature } from "../../src/twilio/webhook-auth.js";

// A Twilio route on its own, without a database: what the route would act on, and what the operator's log says.
const TOKEN = "t".repeat(32);
const PATH = "/twilio/voice/unsubscribe?delivery=11";
const FORM = "application/x-www-form-urlencoded";
const seen: Record<string, string>[] = [];
const logLines: { msg: string; url?: string }[] = [];

async function appFor(publicUrl: string): Promise<FastifyInstance> {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const app = Fastify({ logger: { level: "warn", stream } });
  installErrorHandler(app);
  installFormParser(app);
  const preHandler = verifyTwilioSignature({ publicUrl, authToken: () => TOKEN });
  app.post("/twilio/voice/unsubscribe", { preHandler }, async (req) => {
    seen.push(req.body as Record<string, string>);
    return "<Response/>";
  });
  app.get("/twilio/voice/unsubscribe", { preHandler }, async () => "<Response/>");
  return app;
}

const signed = (url: string, params: Record<string, string> = {}) =>
  twilio.getExpectedTwilioSignature(TOKEN, url, params);
const params = { CallSid: `CA${"1".repeat(32)}`, Digits: "1" };

let plain: FastifyInstance;
let slashed: FastifyInstance;
before(async () => {
  plain = await appFor("https://voice.example.nl");
  slashed = await appFor("https://voice.example.nl/");
});
after(async () => {
  await plain.close();
  await slashed.close();
});

const post = (app: FastifyInstance, body: string, signature: string | undefined) =>
  app.inject({
    method: "POST",
    url: PATH,
    headers: { "content-type": FORM, ...(signature ? { "x-twilio-signature": signature } : {}) },
    payload: body,
  });

test("a request Twilio signed is accepted whether PUBLIC_URL ends in a slash or not", async () => {
  const signature = signed(`https://voice.example.nl${PATH}`, params);
  for (const app of [plain, slashed]) {
    seen.length = 0;
    const res = await post(app, new URLSearchParams(params).toString(), signature);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(seen, [params]);
  }
  const get = await plain.inject({
    method: "GET",
    url: PATH,
    headers: { "x-twilio-signature": signed(`https://voice.example.nl${PATH}`) },
  });
  assert.equal(get.statusCode, 200);
});

test("a changed value, another host, a lost query or no signature: 403, and the route never runs", async () => {
  seen.length = 0;
  logLines.length = 0;
  const good = signed(`https://voice.example.nl${PATH}`, params);
  const refused = [
    await post(plain, new URLSearchParams({ ...params, Digits: "2" }).toString(), good),
    await post(plain, new URLSearchParams(params).toString(), signed(`https://evil.example${PATH}`, params)),
    await post(
      plain,
      new URLSearchParams(params).toString(),
      signed("https://voice.example.nl/twilio/voice/unsubscribe", params),
    ),
    await post(plain, new URLSearchParams(params).toString(), undefined),
  ];
  for (const res of refused) {
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "BN_TWILIO_SIGNATURE");
  }
  assert.deepEqual(seen, []);
  // The operator sees each refusal, by path; the query (a delivery id) stays out of the log.
  assert.equal(logLines.length, 4);
  for (const line of logLines) {
    assert.equal(line.msg, "rejected a Twilio webhook with a bad signature");
    assert.equal(line.url, "/twilio/voice/unsubscribe");
  }
});

test("a field posted twice never lets the route act on a value Twilio did not sign", async () => {
  const signature = signed(`https://voice.example.nl${PATH}`, params);
  const base = new URLSearchParams(params).toString();
  seen.length = 0;
  // Appended after the signed one: refused.
  assert.equal((await post(plain, `${base}&Digits=2`, signature)).statusCode, 403);
  // Put before it: either refused, or the route sees only the signed value.
  const before = await post(plain, `Digits=2&${base}`, signature);
  assert.ok(before.statusCode === 403 || before.statusCode === 200, before.body);
  for (const body of seen) assert.equal(body.Digits, "1");
});

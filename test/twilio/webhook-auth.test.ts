import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import twilio from "twilio";
import { installErrorHandler } from "../../src/errors.js";
import type { TwilioRoute } from "../../src/twilio/routes.js";
import { installFormParser, verifyTwilioRequest } from "../../src/twilio/webhook-auth.js";

// One Twilio route on its own, without a database: what the route would act on, for which signed requests.
const TOKEN = "t".repeat(32);
const ACCOUNT = `AC${"0".repeat(32)}`;
const PATH = "/twilio/voice/unsubscribe?delivery=11";
const FORM = "application/x-www-form-urlencoded";
const ROUTE: TwilioRoute = {
  path: "/twilio/voice/unsubscribe",
  query: ["delivery"],
  params: ["AccountSid", "CallSid", "Digits"],
  sid: "CallSid",
};
const params = { AccountSid: ACCOUNT, CallSid: `CA${"1".repeat(32)}`, Digits: "1" };
const seen: Record<string, string>[] = [];

async function appFor(publicUrl: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandler(app);
  installFormParser(app);
  const preValidation = verifyTwilioRequest({
    publicUrl,
    accountSid: ACCOUNT,
    authToken: () => TOKEN,
    routeOf: (path) => (path === ROUTE.path ? ROUTE : undefined),
    isDeliverySid: async (id, channel, sid) => id === 11 && channel === "voice" && sid === params.CallSid,
  });
  app.post(ROUTE.path, { preValidation }, async (req) => {
    seen.push({ ...(req.body as Record<string, string>) });
    return "<Response/>";
  });
  return app;
}

const signed = (url: string, p: Record<string, string> = params) => twilio.getExpectedTwilioSignature(TOKEN, url, p);
const form = (p: Record<string, string> = params) => new URLSearchParams(p).toString();

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
  const signature = signed(`https://voice.example.nl${PATH}`);
  for (const app of [plain, slashed]) {
    seen.length = 0;
    const res = await post(app, form(), signature);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(seen, [params]);
  }
});

test("a changed value, another host, a lost query or no signature: 403, and the route never runs", async () => {
  seen.length = 0;
  const good = signed(`https://voice.example.nl${PATH}`);
  const refused = [
    await post(plain, form({ ...params, Digits: "2" }), good),
    await post(plain, form(), signed(`https://evil.example${PATH}`)),
    await post(plain, form(), signed(`https://voice.example.nl${ROUTE.path}`)),
    await post(plain, form(), undefined),
  ];
  for (const res of refused) {
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "BN_TWILIO_SIGNATURE");
  }
  assert.deepEqual(seen, []);
});

test("a field posted twice is refused, before or after the signed one", async () => {
  const signature = signed(`https://voice.example.nl${PATH}`);
  seen.length = 0;
  assert.equal((await post(plain, `${form()}&Digits=2`, signature)).statusCode, 403);
  assert.equal((await post(plain, `Digits=2&${form()}`, signature)).statusCode, 403);
  assert.equal((await post(plain, `${form()}&Digits=1`, signature)).statusCode, 403, "even with the same value");
  assert.deepEqual(seen, []);
});

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { TWILIO_ROUTES, twilioUrl, type TwilioRouteName } from "../../src/twilio/routes.js";
import type { Stack } from "../helpers/stack.js";
import { startIvrStack } from "./helpers.js";
import { sid, voiceParams } from "../twilio/helpers.js";

let stack: Stack;
before(async () => {
  stack = await startIvrStack();
});
after(() => stack.close());

describe("the table of Twilio-facing routes", () => {
  test("every route in it is served by the app, as a POST", () => {
    for (const [name, route] of Object.entries(TWILIO_ROUTES)) {
      assert.ok(
        stack.app.hasRoute({ method: "POST", url: route.path }),
        `${name}: POST ${route.path} is not registered`,
      );
    }
  });

  test("URLs are PUBLIC_URL + path + the route's own query, nothing else", () => {
    assert.equal(
      twilioUrl("https://bn.example", "menu", { delivery: 12, try: 2 }),
      "https://bn.example/twilio/voice/menu?delivery=12&try=2",
    );
    assert.equal(twilioUrl("https://bn.example", "inbound"), "https://bn.example/twilio/voice/inbound");
    assert.throws(
      () => twilioUrl("https://bn.example", "alert" as TwilioRouteName, { parent: "CA1" } as never),
      /\/twilio\/voice\/alert takes no "parent" in its query/,
    );
  });

  test("an action URL built from the table reaches its route, signature and all", async () => {
    const url = twilioUrl(stack.url, "menu", { general: 1, try: 1 });
    const params = {
      ...voiceParams(stack, { callSid: sid("CA", 0x7ab1e), from: "anonymous", to: "+3197010000000", outbound: false }),
      Digits: "2",
    };
    const res = await stack.app.inject({
      method: "POST",
      url: url.slice(stack.url.length),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": stack.emulator.sign(url, params),
      },
      payload: new URLSearchParams(params).toString(),
    });
    assert.equal(res.statusCode, 200, res.body);
    // The spoken tip: Twilio's speech model named, not left to Twilio to choose, with Dutch hints.
    assert.match(
      res.body,
      /<Gather input="speech"[^>]* language="nl-NL" speechModel="googlev2_telephony" hints="kenteken, fiets, /,
    );
  });

  test("every route under /twilio/ the app serves refuses an unsigned request, and one signed for another route", async () => {
    const paths = [...stack.app.printRoutes({ commonPrefix: false }).matchAll(/(\/twilio\/\S*) \(([A-Z, ]+)\)/g)];
    assert.equal(paths.length, Object.keys(TWILIO_ROUTES).length, "no Twilio route beside the table");
    for (const [, path, methods] of paths) {
      for (const method of methods.split(", ")) {
        const params = voiceParams(stack, { callSid: sid("CA", 1), from: "+31612345678", to: "+3197010000000" });
        const unsigned = await stack.app.inject({
          method: method as "POST",
          url: path,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          payload: new URLSearchParams(params).toString(),
        });
        assert.equal(unsigned.statusCode, 403, `${method} ${path} unsigned`);
        assert.equal(unsigned.json().error.code, "BN_TWILIO_SIGNATURE");
        const elsewhere = await stack.app.inject({
          method: method as "POST",
          url: path,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": stack.emulator.sign(`${stack.url}/twilio/voice/other`, params),
          },
          payload: new URLSearchParams(params).toString(),
        });
        assert.equal(elsewhere.statusCode, 403, `${method} ${path} signed for another URL`);
      }
    }
  });
});

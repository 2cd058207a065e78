import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { TWILIO_ROUTES, twilioUrl, type TwilioRouteName } from "../../src/twilio/routes.js";
import type { Stack } from "../helpers/stack.js";
import { startIvrStack } from "./helpers.js";

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
    const params = { CallSid: "CAtable", From: "anonymous", Digits: "2" };
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
});

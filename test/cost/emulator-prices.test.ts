import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../src/sim/index.ts";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { FROM, emulatorWithClient } from "../sim/helpers.ts";

describe("the emulator prices as Twilio does", () => {
  let emu: Emulator;
  let client: TwilioClient;
  before(async () => {
    ({ emu, client } = await emulatorWithClient());
  });
  after(() => emu.close());

  it("serves the Pricing API v1 country resources through the SDK, behind the account's credentials", async () => {
    const voice = await client.pricing.v1.voice.countries("NL").fetch();
    assert.equal(voice.isoCountry, "NL");
    assert.equal(voice.priceUnit, "USD");
    assert.deepEqual(
      voice.outboundPrefixPrices.map((p) => [p.friendlyName, p.currentPrice]),
      [
        ["Netherlands - Mobile", "0.11600"],
        ["Netherlands", "0.03400"],
      ],
    );
    const sms = await client.pricing.v1.messaging.countries("NL").fetch();
    // The SDK leaves the nested prices as Twilio wrote them (snake_case).
    const [first] = sms.outboundSmsPrices[0].prices as unknown as { number_type: string; current_price: string }[];
    assert.deepEqual(first, { number_type: "mobile", base_price: "0.09900", current_price: "0.09900" });
    const anonymous = await fetch(`${emu.url}/v1/Voice/Countries/NL`);
    assert.equal(anonymous.status, 401);
    await assert.rejects(client.pricing.v1.voice.countries("BE").fetch(), { status: 404 });
  });

  it("a call has no price until it is final, then the charge per started minute as a negative string", async () => {
    emu.setPersona("+31611112222", { answer: "human", hangupAfterSeconds: 61 });
    const call = await client.calls.create({
      to: "+31611112222",
      from: FROM,
      twiml: "<Response><Pause length='120'/></Response>",
    });
    assert.equal(call.price, null);
    await emu.callEnded(call.sid);
    const final = await client.calls(call.sid).fetch();
    assert.equal(final.price, "-0.23200"); // 2 started minutes × 0.116
    assert.equal(final.priceUnit, "USD");
  });

  it("a message is priced per segment once sent; a busy or failed one costs nothing", async () => {
    const m = await client.messages.create({ to: "+31611113333", from: FROM, body: "x".repeat(200) });
    const sent = await emu.waitFor(() => {
      const r = emu.getMessage(m.sid);
      return r && ["sent", "delivered"].includes(r.status) ? r : undefined;
    });
    assert.equal(sent.numSegments, 2);
    assert.equal((await client.messages(m.sid).fetch()).price, "-0.19800");
    emu.setPersona("+31611114444", { answer: "busy" });
    const busy = await client.calls.create({ to: "+31611114444", from: FROM, twiml: "<Response/>" });
    await emu.callEnded(busy.sid);
    assert.equal((await client.calls(busy.sid).fetch()).price, "0.00000");
  });
});

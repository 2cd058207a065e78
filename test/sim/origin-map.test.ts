import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import twilio from "twilio";
import type { Emulator } from "../../src/sim/index.ts";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { AUTH_TOKEN, FROM, emulatorWithClient, startTwimlApp, voice } from "./helpers.ts";

const PUBLIC_URL = "https://burgernet.example";

describe("webhooks to a public URL served locally", () => {
  let emu: Emulator;
  let client: TwilioClient;
  let app: Awaited<ReturnType<typeof startTwimlApp>>;

  before(async () => {
    app = await startTwimlApp({ "/voice": () => voice((r) => r.say({ language: "nl-NL" }, "Hallo")) });
    ({ emu, client } = await emulatorWithClient({ originMap: { [PUBLIC_URL]: app.url } }));
  });
  after(async () => {
    await emu.close();
    await app.app.close();
  });

  it("connects to the mapped origin but signs the public https URL", async () => {
    const created = await client.calls.create({
      to: "+31640000001",
      from: FROM,
      url: `${PUBLIC_URL}/voice?delivery=42`,
    });
    const call = await emu.callEnded(created.sid);
    assert.equal(call.status, "completed");
    const hit = app.hits.find((h) => h.params.CallSid === created.sid);
    assert.ok(hit);
    assert.equal(hit.url, "/voice?delivery=42");
    assert.ok(twilio.validateRequest(AUTH_TOKEN, hit.signature, `${PUBLIC_URL}${hit.url}`, hit.body));
    assert.equal(hit.signatureValid, false, "not valid for the local URL: the signature is over the public one");
  });
});

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TranscriptEntry } from "../../src/sim/index.js";
import { bearer, type Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { assertPlayable, callAlert, seedAlert, seedDelivery, startIvrStack } from "./helpers.js";

let stack: Stack;
before(async () => {
  stack = await startIvrStack();
});
after(() => stack.close());

const voicesOf = (transcript: readonly TranscriptEntry[]) =>
  new Set(transcript.flatMap((e) => (e.kind === "say" ? [`${e.voice} ${e.language}`] : [])));

describe("every call speaks with the script's voice for the participant's language", () => {
  test("the code read out to a landline: Dutch in Polly.Laura-Neural, English in Polly.Amy-Neural", async () => {
    for (const [phone, language, voice] of [
      ["020 555 7001", "nl", "Polly.Laura-Neural nl-NL"],
      ["020 555 7002", "en", "Polly.Amy-Neural en-GB"],
    ] as const) {
      const res = await stack.app.inject({
        method: "POST",
        url: "/v1/participants",
        headers: bearer(stack.keys.registration),
        payload: { phone, language, channels: ["voice"], locations: [{ kind: "home", postcode: "1012 AB" }] },
      });
      assert.equal(res.statusCode, 202, res.body);
      const e164 = `+3120${phone.slice(4).replace(/\s/g, "")}`;
      const call = await stack.emulator.waitFor(() => stack.emulator.callsTo(e164)[0]);
      const ended = await stack.emulator.callEnded(call.sid);
      assertPlayable(ended);
      assert.deepEqual([...voicesOf(stack.emulator.transcript(call.sid))], [voice]);
    }
  });

  test("the closing call, like the alert call", async () => {
    const phone = mobile(7100);
    const [participantId] = await seedParticipants(stack.db, [{ phone, ...dam }]);
    const alertId = await seedAlert(stack.db, { status: "closed", closingMessage: "Het kind is terecht." });
    const deliveryId = await seedDelivery(stack.db, { alertId, participantId, phone, purpose: "closing" });
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human" }, { path: "closing" });
    assert.ok(transcript.some((e) => e.kind === "say" && e.text === "Het kind is terecht."));
    assert.deepEqual([...voicesOf(transcript)], ["Polly.Laura-Neural nl-NL"]);
  });
});

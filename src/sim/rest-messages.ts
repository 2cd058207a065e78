import type { FastifyInstance, FastifyRequest } from "fastify";
import { int, one, type Form } from "./form.ts";
import { pageOf } from "./list-page.ts";
import { messageJson } from "./message-json.ts";
import type { Network } from "./network.ts";
import { canReceiveSms, isE164 } from "./phone.ts";
import { notFound, sendError } from "./rest-errors.ts";
import { smsSegments } from "./segments.ts";
import { newSid } from "./sids.ts";
import type { SmsRunner } from "./sms-runner.ts";
import type { MessageRecord } from "./store.ts";
import { DAY_MS, parseFilterDate } from "./time-format.ts";

type SidParams = { accountSid: string; sid: string };

const MAX_BODY = 1600;

export interface MessageRouteOptions {
  /** The sender used when a message names a MessagingServiceSid instead of From. */
  messagingServiceFrom: string;
}

export function registerMessageRoutes(
  app: FastifyInstance,
  net: Network,
  sms: SmsRunner,
  opts: MessageRouteOptions,
): void {
  const base = "/2010-04-01/Accounts/:accountSid/Messages";

  app.post(`${base}.json`, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const to = one(form, "To");
    const from = one(form, "From");
    const service = one(form, "MessagingServiceSid");
    const body = one(form, "Body") ?? "";
    if (!to) return sendError(reply, 400, 21604, "A 'To' phone number is required.");
    const persona = isE164(to) ? net.personas.get(to) : undefined;
    if (!persona || persona.answer === "invalid")
      return sendError(reply, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !service) return sendError(reply, 400, 21603, "A 'From' phone number is required.");
    if (body === "") return sendError(reply, 400, 21602, "Message body is required.");
    if (body.length > MAX_BODY)
      return sendError(reply, 400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    if (persona.landline || !canReceiveSms(to)) {
      return sendError(reply, 400, 21614, `'To' number ${to} is not a valid mobile number`);
    }
    const statusCallback = one(form, "StatusCallback") || undefined;
    const now = Date.now();
    const message = net.store.addMessage({
      sid: newSid("SM"),
      accountSid: net.accountSid,
      direction: "outbound-api",
      to,
      from: from || opts.messagingServiceFrom,
      body,
      ...(service ? { messagingServiceSid: service } : {}),
      ...(statusCallback ? { statusCallback } : {}),
      ...(int(form, "ValidityPeriod") !== undefined ? { validityPeriod: int(form, "ValidityPeriod") } : {}),
      numSegments: smsSegments(body),
      status: "queued",
      createdAt: now,
      updatedAt: now,
    });
    const json = messageJson(message, net.clockSkewMs);
    sms.submit(message);
    return reply.code(201).send(json);
  });

  app.get<{ Params: SidParams }>(`${base}/:sid.json`, async (req, reply) => {
    const message = net.store.messages.get(req.params.sid);
    return message ? messageJson(message, net.clockSkewMs) : notFound(reply, req.url);
  });

  app.get(`${base}.json`, async (req: FastifyRequest) => {
    const query = (req.query ?? {}) as Form;
    const to = one(query, "To");
    const candidates = to ? net.store.messagesTo(to) : net.store.messageOrder;
    const page = pageOf(candidates, messageFilter(query), query, req.url.split("?")[0]);
    return { messages: page.items.map((m) => messageJson(m, net.clockSkewMs)), ...page.meta };
  });
}

/** DateSent filters; a message not sent yet is matched on its creation time. */
function messageFilter(query: Form): (m: MessageRecord) => boolean {
  const from = one(query, "From");
  const onDay = parseFilterDate(one(query, "DateSent"));
  const after = parseFilterDate(one(query, "DateSent>"));
  const before = parseFilterDate(one(query, "DateSent<"));
  return (m) => {
    if (from !== undefined && m.from !== from) return false;
    const sent = m.sentAt ?? m.createdAt;
    if (after !== undefined && sent < after) return false;
    if (before !== undefined && sent >= before) return false;
    if (onDay !== undefined && (sent < onDay || sent >= onDay + DAY_MS)) return false;
    return true;
  };
}

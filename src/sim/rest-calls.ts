import type { FastifyInstance, FastifyRequest } from "fastify";
import { callJson } from "./call-json.ts";
import type { CallRunner } from "./call-runner.ts";
import { httpMethod, int, many, one, type Form } from "./form.ts";
import { pageOf } from "./list-page.ts";
import type { Network } from "./network.ts";
import type { Pacer } from "./pacer.ts";
import { arrivalOf } from "./arrival.ts";
import { intern, internList } from "./intern.ts";
import { isE164 } from "./phone.ts";
import { notFound, sendError } from "./rest-errors.ts";
import { newSid } from "./sids.ts";
import type { CallRecord } from "./store.ts";
import { DAY_MS, parseFilterDate } from "./time-format.ts";
import type { CallRequest, CallStatus } from "./types.ts";

type SidParams = { accountSid: string; sid: string };

const EVENTS = new Set(["initiated", "ringing", "answered", "completed"]);
const STATUSES = new Set<CallStatus>([
  "queued",
  "ringing",
  "in-progress",
  "completed",
  "busy",
  "failed",
  "no-answer",
  "canceled",
]);
const MAX_TWIML = 4000;
const ABSOLUTE_URL = /^https?:\/\/[^\s/?#]+/i;

export function registerCallRoutes(
  app: FastifyInstance,
  net: Network,
  runner: CallRunner,
  pacer: Pacer<CallRecord>,
): void {
  const base = "/2010-04-01/Accounts/:accountSid/Calls";

  app.post(`${base}.json`, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const to = one(form, "To");
    const from = one(form, "From");
    if (!to) return sendError(reply, 400, 21201, "No 'To' number is specified");
    if (!isE164(to) || net.personas.get(to).answer === "invalid") {
      return sendError(reply, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    }
    if (!from) return sendError(reply, 400, 21213, "No 'From' number is specified");
    const request = readCallRequest(form);
    if (typeof request === "string") return sendError(reply, 400, 21205, request);

    if (pacer.full) return sendError(reply, 400, 22005, "The call queue is full; try again later");

    const now = Date.now();
    const call = net.store.addCall({
      sid: newSid("CA"),
      accountSid: net.accountSid,
      direction: "outbound-api",
      to,
      from: intern(from),
      request,
      status: "queued",
      createdAt: now,
    });
    const queueTime = pacer.enqueue(call, arrivalOf(req)) ?? 0;
    call.queueTimeMs = queueTime;
    net.events.emit("call:created", call);
    net.events.changed();
    return reply.code(201).send(callJson(call, net.clockSkewMs));
  });

  app.get<{ Params: SidParams }>(`${base}/:sid.json`, async (req, reply) => {
    const call = net.store.calls.get(req.params.sid);
    return call ? callJson(call, net.clockSkewMs) : notFound(reply, req.url);
  });

  app.post<{ Params: SidParams }>(`${base}/:sid.json`, async (req, reply) => {
    const call = net.store.calls.get(req.params.sid);
    if (!call) return notFound(reply, req.url);
    const form = (req.body ?? {}) as Form;
    const status = one(form, "Status");
    if (status !== undefined) {
      if (status !== "canceled" && status !== "completed") {
        return sendError(reply, 400, 21218, `Invalid Status '${status}': use canceled or completed`);
      }
      runner.end(call, status);
      return callJson(call, net.clockSkewMs);
    }
    const url = one(form, "Url");
    const twiml = one(form, "Twiml");
    if (url === undefined && twiml === undefined) return callJson(call, net.clockSkewMs);
    if (url !== undefined && !ABSOLUTE_URL.test(url))
      return sendError(reply, 400, 21205, `Url is not a valid URL: ${url}`);
    const source = url !== undefined ? { url, method: httpMethod(one(form, "Method")) } : { twiml: twiml ?? "" };
    if (!runner.redirect(call, source)) {
      return sendError(reply, 400, 21220, "Call is not in-progress. Cannot redirect.");
    }
    return callJson(call, net.clockSkewMs);
  });

  app.get(`${base}.json`, async (req: FastifyRequest) => {
    const query = (req.query ?? {}) as Form;
    const match = callFilter(query);
    const to = one(query, "To");
    const candidates = to ? net.store.callsTo(to) : net.store.callOrder;
    const path = req.url.split("?")[0];
    const page = pageOf(candidates, match, query, path);
    return { calls: page.items.map((c) => callJson(c, net.clockSkewMs)), ...page.meta };
  });
}

function readCallRequest(form: Form): CallRequest | string {
  const url = one(form, "Url");
  const twiml = one(form, "Twiml");
  if (!url && !twiml) return "Url parameter is required (or Twiml)";
  if (url && !ABSOLUTE_URL.test(url)) return `Url is not a valid URL: ${url}`;
  if (!url && twiml && twiml.length > MAX_TWIML) return `Twiml is longer than ${MAX_TWIML} characters`;
  const statusCallback = one(form, "StatusCallback");
  if (statusCallback && !ABSOLUTE_URL.test(statusCallback))
    return `StatusCallback is not a valid URL: ${statusCallback}`;
  const machineDetection = one(form, "MachineDetection");
  return {
    url: intern(url || undefined),
    method: httpMethod(one(form, "Method")),
    twiml: intern(url ? undefined : twiml),
    statusCallback: intern(statusCallback || undefined),
    statusCallbackMethod: httpMethod(one(form, "StatusCallbackMethod")),
    statusCallbackEvents: internList(
      many(form, "StatusCallbackEvent")
        .flatMap((e) => e.split(/\s+/))
        .filter((e) => EVENTS.has(e)),
    ),
    timeout: Math.min(600, Math.max(1, int(form, "Timeout") ?? 60)),
    timeLimit: Math.max(1, int(form, "TimeLimit") ?? 14_400),
    machineDetection:
      machineDetection === "Enable" || machineDetection === "DetectMessageEnd" ? machineDetection : undefined,
    asyncAmd: one(form, "AsyncAmd") === "true",
    asyncAmdStatusCallback: intern(one(form, "AsyncAmdStatusCallback") || undefined),
    asyncAmdStatusCallbackMethod: httpMethod(one(form, "AsyncAmdStatusCallbackMethod")),
  };
}

/**
 * Twilio's list filters. A call that has not started yet has no start time; it is matched on its
 * creation time instead, so that "calls to this number since T" also finds calls still in the CPS queue.
 */
function callFilter(query: Form): (call: CallRecord) => boolean {
  const from = one(query, "From");
  const status = one(query, "Status") as CallStatus | undefined;
  const parent = one(query, "ParentCallSid");
  const onDay = parseFilterDate(one(query, "StartTime"));
  const after = parseFilterDate(one(query, "StartTime>"));
  const before = parseFilterDate(one(query, "StartTime<"));
  const endOnDay = parseFilterDate(one(query, "EndTime"));
  const endAfter = parseFilterDate(one(query, "EndTime>"));
  const endBefore = parseFilterDate(one(query, "EndTime<"));
  const badStatus = status !== undefined && !STATUSES.has(status);
  return (call) => {
    if (badStatus) return false;
    if (from !== undefined && call.from !== from) return false;
    if (status !== undefined && call.status !== status) return false;
    if (parent !== undefined && call.parentCallSid !== parent) return false;
    const start = call.startedAt ?? call.createdAt;
    if (after !== undefined && start < after) return false;
    if (before !== undefined && start >= before) return false;
    if (onDay !== undefined && (start < onDay || start >= onDay + DAY_MS)) return false;
    if (endAfter !== undefined || endBefore !== undefined || endOnDay !== undefined) {
      const end = call.endedAt;
      if (end === undefined) return false;
      if (endAfter !== undefined && end < endAfter) return false;
      if (endBefore !== undefined && end >= endBefore) return false;
      if (endOnDay !== undefined && (end < endOnDay || end >= endOnDay + DAY_MS)) return false;
    }
    return true;
  };
}

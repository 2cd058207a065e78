import type { TwilioHandler } from "../twilio/routes.js";
import { haversineMeters } from "../geo/geometry.js";
import { alertText, callerContext, opening, type CallContext } from "./context.js";
import { attempt, renderFailure, renderFor, sendTwiml, type IvrDeps } from "./deps.js";
import { ivrQueries, type AlertRow } from "./queries.js";
import { clockTime } from "./spoken.js";

/** A location within this distance of an alert's centre counts as near, besides the alerts the caller was sent. */
export const NEAR_METERS = 5_000;
const MAX_CHOICES = 8;

/**
 * The running alerts that concern a caller: those delivered to their phone (they were targeted, so the alert's
 * area covers one of their locations at some hour), and those whose centre lies within 5 km of any of their
 * locations regardless of its time window: someone who calls in wants to hear what is going on near home or work.
 */
export async function alertsNear(deps: IvrDeps, ctx: CallContext): Promise<AlertRow[]> {
  if (!ctx.callerPhone) return [];
  const alerts = (await ivrQueries.liveAlerts(deps.db, ctx.callerPhone, deps.clock())).rows;
  const locations = ctx.participantId ? (await ivrQueries.locations(deps.db, ctx.participantId)).rows : [];
  return alerts
    .filter(
      (a) =>
        a.delivered || locations.some((l) => haversineMeters(l.lat, l.lon, a.center_lat, a.center_lon) <= NEAR_METERS),
    )
    .slice(0, MAX_CHOICES);
}

function offerAlerts(deps: IvrDeps, ctx: CallContext, alerts: AlertRow[], tries: number, welcome: boolean): string {
  if (alerts.length === 0) {
    return renderFor(deps, ctx, welcome ? ["noAlert", "generalMenu"] : ["generalMenu"], {
      action: { path: "menu", query: { try: 1 } },
    });
  }
  if (alerts.length === 1) {
    const one = { ...ctx, drill: alerts[0].drill, ref: { alert: alerts[0].alert_id } };
    return renderFor(deps, one, opening(one, ["inboundAlert"]), {
      vars: { alertText: alertText(alerts[0], ctx.language), region: alerts[0].region_name },
      action: { path: "menu", query: { try: 1 } },
    });
  }
  const items = alerts.map((a, i) => ({
    kind: ctx.script.kinds[a.kind],
    time: clockTime(a.created_at, deps.config.timeZone),
    key: String(i + 1),
  }));
  return renderFor(deps, ctx, welcome ? ["severalAlerts"] : ["pickAlert"], {
    vars: { count: String(alerts.length) },
    items,
    action: { path: "pick", query: { try: tries } },
  });
}

export function inboundHandlers(deps: IvrDeps) {
  /** A call to the Burgernet number. */
  const inbound: TwilioHandler = async (req, reply) => {
    const ctx = await callerContext(deps, req.body.From);
    if (!ctx) return sendTwiml(reply, renderFailure(deps));
    const alerts = await alertsNear(deps, ctx);
    req.log.info(
      { callSid: req.body.CallSid, registered: ctx.registered, alerts: alerts.length },
      "call to the Burgernet number",
    );
    return sendTwiml(reply, offerAlerts(deps, ctx, alerts, 1, true));
  };

  /** The caller chose one of several alerts by key. */
  const pick: TwilioHandler = async (req, reply) => {
    const ctx = await callerContext(deps, req.body.From);
    if (!ctx) return sendTwiml(reply, renderFailure(deps));
    const alerts = await alertsNear(deps, ctx);
    const chosen = alerts[Number(req.body.Digits) - 1];
    if (chosen && alerts.length > 1) {
      const one = { ...ctx, ref: { alert: chosen.alert_id } };
      return sendTwiml(
        reply,
        renderFor(deps, one, ["replay"], {
          vars: { alertText: alertText(chosen, ctx.language), region: chosen.region_name },
          action: { path: "menu", query: { try: 1 } },
        }),
      );
    }
    const tries = attempt(req.query);
    if (alerts.length > 1 && tries > ctx.script.retries)
      return sendTwiml(reply, renderFor(deps, ctx, ["noInputGoodbye"]));
    // The list may have changed meanwhile (an alert ended): offer what there is now.
    return sendTwiml(reply, offerAlerts(deps, ctx, alerts, tries + 1, false));
  };
  return { inbound, pick };
}

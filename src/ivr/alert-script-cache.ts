import { randomBytes } from "node:crypto";
import { flagsOf, opening, type CallContext } from "./context.js";
import { renderFor, type IvrDeps } from "./deps.js";
import { placeNear } from "../presence/place.js";

/** How an alert call opens: with the alert, or with "are you nearby now?" first (issue 25). */
export type AlertOpening = "alert" | "presence";

/**
 * The alert call's TwiML (intro, alert text, menu) rendered once per alert version, language and menu variant,
 * instead of for each of an alert's thousands of calls. The version is the alert row's xmin, read with the delivery
 * lookup: any change to the alert (a CAP Update of its texts, close, cancel) is a new version on every instance, with
 * no invalidation message. The only per-call part, the delivery in the menu's action URL, is rendered as a token and
 * put in per call.
 */
export function createAlertScriptCache(maxEntries = 500) {
  const token = `x${randomBytes(8).toString("hex")}`;
  const rendered = new Map<string, string>();

  function render(deps: IvrDeps, ctx: CallContext, start: AlertOpening): string {
    const tokenCtx = { ...ctx, ref: { delivery: token } };
    if (start === "presence") {
      const place = placeNear(ctx.alert!.centerLat, ctx.alert!.centerLon);
      return renderFor(deps, tokenCtx, opening(ctx, ["presenceCheck"]), {
        action: { path: "presence" },
        vars: { place },
      });
    }
    return renderFor(deps, tokenCtx, opening(ctx, ["alert"]), { action: { path: "menu", query: { try: 1 } } });
  }

  return {
    /** The TwiML of a live alert call. */
    alertCall(
      deps: IvrDeps,
      ctx: CallContext & { alert: NonNullable<CallContext["alert"]> },
      opening: AlertOpening = "alert",
    ) {
      const key = [
        opening,
        ctx.alert.id,
        ctx.alert.version,
        ctx.language,
        [...flagsOf(ctx)].sort().join(","),
        ctx.regionName,
        ctx.photoBySms ? "photo" : "",
      ].join("|");
      let xml = rendered.get(key);
      if (xml === undefined) {
        xml = render(deps, ctx, opening);
        // Oldest first out: entries of ended alerts and of old versions are never asked for again.
        if (rendered.size >= maxEntries) rendered.delete(rendered.keys().next().value!);
        rendered.set(key, xml);
      }
      return xml.replaceAll(token, String(ctx.deliveryId));
    },
  };
}

export type AlertScriptCache = ReturnType<typeof createAlertScriptCache>;

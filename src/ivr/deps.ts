import type { FastifyReply } from "fastify";
import type { Carrier } from "../twilio/carrier.js";
import { twilioUrl, type TwilioRouteName, type TwilioRouteQuery } from "../twilio/routes.js";
import { baseVars, flagsOf, type CallContext, type ContextDeps } from "./context.js";
import type { AlertScriptCache } from "./alert-script-cache.js";
import { renderSteps } from "./render.js";
import type { AnyStepName, StepName, Vars } from "./script-types.js";
import { speakPhone } from "./spoken.js";
import type { RenderContext } from "./verbs.js";

export interface IvrDeps extends ContextDeps {
  /** The IVR's one remote request: a voicemail left by redirecting the live call. */
  carrier: Pick<Carrier, "redirectCall">;
  alertScripts: AlertScriptCache;
}

export type Query = Record<string, string | undefined>;
export type Params = Record<string, string>;

/** An absolute webhook URL of ours: Twilio signs exactly this, and we check it against PUBLIC_URL + path + query. */
export function voiceUrl<N extends TwilioRouteName>(deps: IvrDeps, name: N, query: TwilioRouteQuery<N>): string {
  return twilioUrl(deps.config.publicUrl, name, query);
}

export function sendTwiml(reply: FastifyReply, xml: string) {
  return reply.type("text/xml; charset=utf-8").send(xml);
}

export interface RenderOptions {
  /** The route (and extra query) that takes the answer; the context's own reference is added. */
  action?: { path: TwilioRouteName; query?: Record<string, string | number> };
  vars?: Vars;
  dial?: RenderContext["dial"];
  items?: Vars[];
  hangupRedirect?: string;
}

/** Renders steps of the context's script with its placeholders and flags. */
export function renderFor(deps: IvrDeps, ctx: CallContext, steps: AnyStepName[], opts: RenderOptions = {}): string {
  return renderSteps(ctx.script, steps, {
    vars: { ...baseVars(ctx, deps.config), ...opts.vars },
    flags: flagsOf(ctx),
    action: opts.action ? voiceUrl(deps, opts.action.path, { ...ctx.ref, ...opts.action.query }) : undefined,
    dial: opts.dial,
    items: opts.items,
    hangupRedirect: opts.hangupRedirect,
    dutch:
      ctx.alert?.dutchFallback && ctx.script.dutchFallback
        ? { intro: ctx.script.dutchFallback.say, voice: deps.scripts.nl.voice, language: deps.scripts.nl.language }
        : undefined,
  });
}

/** Something is wrong with the call itself (an unknown delivery): apologise and give the number to call. */
export function renderFailure(deps: IvrDeps): string {
  return renderSteps(deps.scripts.nl, ["failure"], {
    vars: { callbackNumber: speakPhone(deps.config.burgernetNumber) },
    flags: new Set(),
  });
}

export function attempt(query: Query): number {
  const n = Number(query.try);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export function menuStep(ctx: CallContext): StepName {
  return ctx.alert ? "alertMenu" : "generalMenu";
}

import type { AlertInput } from "../alerts/service.js";
import type { AreaInput } from "../alerts/area.js";
import { centroid, type Ring } from "../geo/geometry.js";
import type { XmlElement } from "./xml.js";
import { isLanguage, type Language } from "../languages/languages.js";

/** The parts of a schema-valid CAP alert that Burgernet uses. */
export interface CapMessage {
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: string;
  scope: string;
  references: { sender: string; identifier: string }[];
  infos: CapInfo[];
}

interface CapInfo {
  language: string;
  categories: string[];
  event: string;
  urgency: string;
  severity: string;
  expires?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  parameters: Record<string, string>;
  areas: { polygons: string[]; circles: string[]; geocodes: Record<string, string> }[];
}

export class CapMappingError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

const kids = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name);
const one = (e: XmlElement, name: string) => kids(e, name)[0]?.text.trim();
const pairs = (e: XmlElement, name: string) =>
  Object.fromEntries(kids(e, name).map((p) => [one(p, "valueName") ?? "", one(p, "value") ?? ""]));

export function readCap(alert: XmlElement): CapMessage {
  return {
    identifier: one(alert, "identifier")!,
    sender: one(alert, "sender")!,
    sent: one(alert, "sent")!,
    status: one(alert, "status")!,
    msgType: one(alert, "msgType")!,
    scope: one(alert, "scope")!,
    // "sender,identifier,sent" triples separated by whitespace.
    references: (one(alert, "references") ?? "")
      .split(/\s+/)
      .filter(Boolean)
      .map((r) => {
        const [sender, identifier] = r.split(",");
        return { sender, identifier };
      }),
    infos: kids(alert, "info").map((i) => ({
      language: one(i, "language") || "en-US",
      categories: kids(i, "category").map((c) => c.text.trim()),
      event: one(i, "event")!,
      urgency: one(i, "urgency")!,
      severity: one(i, "severity")!,
      expires: one(i, "expires"),
      headline: one(i, "headline"),
      description: one(i, "description"),
      instruction: one(i, "instruction"),
      parameters: pairs(i, "parameter"),
      areas: kids(i, "area").map((a) => ({
        polygons: kids(a, "polygon").map((p) => p.text.trim()),
        circles: kids(a, "circle").map((c) => c.text.trim()),
        geocodes: pairs(a, "geocode"),
      })),
    })),
  };
}

/** A CAP language tag ("de-DE", "ar", "uk-UA") as one of the participant languages, or null for any other. */
function languageOf(tag: string): Language | null {
  const primary = tag.toLowerCase().split("-")[0];
  return isLanguage(primary) ? primary : null;
}

const pointRe = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/;

/** CAP points are "lat,lon"; GeoJSON positions are [lon, lat]. */
function point(s: string, path: string): [number, number] {
  const m = pointRe.exec(s);
  if (!m) throw new CapMappingError(`"${s}" is not a "lat,lon" point`, path);
  return [Number(m[2]), Number(m[1])];
}

function areaOf(info: CapInfo, path: string): { area: AreaInput; center: { lat: number; lon: number } } {
  const polygons = info.areas.flatMap((a) => a.polygons);
  const circles = info.areas.flatMap((a) => a.circles);
  if (circles.length > 1 || (circles.length && polygons.length))
    throw new CapMappingError(
      "Send one <circle>, or <polygon>s only: a circle and other shapes are not combined",
      path,
    );
  if (circles.length) {
    const m = /^(\S+)\s+(\d+(?:\.\d+)?)$/.exec(circles[0]);
    if (!m) throw new CapMappingError(`"${circles[0]}" is not a "lat,lon radius-km" circle`, `${path}/circle`);
    const [lon, lat] = point(m[1], `${path}/circle`);
    return {
      area: { type: "circle", center: { lat, lon }, radiusMeters: Math.round(Number(m[2]) * 1000) },
      center: { lat, lon },
    };
  }
  if (polygons.length) {
    // Several <polygon>s (in one <area> or several) are the parts of one GeoJSON MultiPolygon.
    const rings: Ring[] = polygons.map((p) => p.split(/\s+/).map((pt) => point(pt, `${path}/polygon`)));
    const c = centroid(rings.reduce((a, b) => (b.length > a.length ? b : a)));
    const area: AreaInput =
      rings.length === 1
        ? { type: "Polygon", coordinates: [rings[0]] }
        : { type: "MultiPolygon", coordinates: rings.map((r) => [r]) };
    return { area, center: c };
  }
  // No shape: a CBS municipality code as geocode (e.g. valueName "CBS", value "GM0363").
  const code = info.areas.flatMap((a) => Object.values(a.geocodes)).find((v) => /^GM\d{4}$/.test(v));
  if (code) return { area: { type: "municipality", code }, center: { lat: NaN, lon: NaN } };
  throw new CapMappingError("The <area> needs a <polygon>, a <circle>, or a CBS municipality <geocode> (GM####)", path);
}

/** Kind from an explicit `burgernet:kind` parameter, else from the event wording (Dutch or English). */
function kindOf(info: CapInfo): AlertInput["kind"] {
  const explicit = info.parameters["burgernet:kind"];
  if (explicit) return explicit;
  const e = `${info.event} ${info.headline ?? ""}`.toLowerCase();
  if (/amber|child|kind|minderjarig/.test(e)) return "missing_child";
  if (/missing|vermis/.test(e)) return "missing_person";
  if (/vehicle|voertuig|auto|kenteken/.test(e)) return "vehicle";
  if (/suspect|verdacht|dader|overval|inbra/.test(e)) return "suspect";
  return "other";
}

/** "Burgernet: …" or "Burgernet - …": the sender's name, which every call and SMS already says once. */
const SENDER_PREFIX = /^\s*burgernet\s*[:\-–]\s*/i;

function withoutSender(headline: string | undefined): string | undefined {
  return headline?.replace(SENDER_PREFIX, "");
}

function joined(...parts: (string | undefined)[]) {
  return parts
    .filter((p) => p && p.trim())
    .map((p) => p!.replace(/\s+/g, " ").trim())
    .join(" ");
}

/**
 * One alert from the info blocks: Dutch is required, each other participant language (src/languages) is used
 * when present; texts can be given exactly with `burgernet:voice` / `burgernet:sms` parameters, else they are built
 * from headline, description and instruction.
 */
export function toAlertInput(cap: CapMessage, now: Date): { input: AlertInput; center: { lat: number; lon: number } } {
  const byLang = new Map<string, { info: CapInfo; index: number }>();
  cap.infos.forEach((info, index) => {
    const lang = languageOf(info.language);
    if (lang && !byLang.has(lang)) byLang.set(lang, { info, index });
  });
  const nl = byLang.get("nl");
  if (!nl) throw new CapMappingError("A Dutch <info> block (language nl or nl-NL) is required", "/alert/info");
  const path = `/alert/info[${nl.index + 1}]`;
  const texts: AlertInput["texts"] = {};
  for (const [lang, { info }] of byLang) {
    // The SMS body gets "Burgernet: " when it is sent (smsBody): a headline that starts with it would say it twice.
    const headline = withoutSender(info.headline);
    texts[lang] = {
      voice: info.parameters["burgernet:voice"] ?? joined(headline, info.description, info.instruction),
      sms:
        info.parameters["burgernet:sms"] ??
        joined(headline ? `${headline}.` : undefined, info.instruction ?? info.description),
    };
  }
  const { area, center } = areaOf(nl.info, `${path}/area`);
  const urgent = nl.info.urgency === "Immediate" && (nl.info.severity === "Extreme" || nl.info.severity === "Severe");
  const input: AlertInput = {
    kind: kindOf(nl.info),
    priority: urgent ? "urgent" : "normal",
    texts,
    area,
    channels: (nl.info.parameters["burgernet:channels"] ?? "voice,sms").split(",").map((c) => c.trim()),
    // An Exercise is a drill (only participants who opted in, told it is one); Test and Draft are stored as drafts.
    dispatch: cap.status === "Actual" || cap.status === "Exercise",
    mode: cap.status === "Exercise" ? "drill" : "live",
  };
  if (nl.info.expires) {
    const minutes = Math.ceil((Date.parse(nl.info.expires) - now.getTime()) / 60_000);
    if (minutes < 5)
      throw new CapMappingError("The message expires within 5 minutes (or has expired)", `${path}/expires`);
    input.expiresInMinutes = Math.min(minutes, 1440);
  }
  return { input, center };
}

import type { Persona } from "./types.ts";

export type PopulationKind =
  | "listen"
  | "tip"
  | "replay"
  | "connect"
  | "unsubscribe"
  | "invalidKey"
  | "hangupEarly"
  | "noAnswer"
  | "busy"
  | "voicemail"
  | "invalid"
  | "failed";

/** Shares of each kind of citizen; normalised, so they need not add up to 1. */
export type PopulationMix = Record<PopulationKind, number>;

export const DEFAULT_MIX: Readonly<PopulationMix> = Object.freeze({
  listen: 0.48,
  tip: 0.03,
  replay: 0.02,
  connect: 0.01,
  unsubscribe: 0.005,
  invalidKey: 0.005,
  hangupEarly: 0.02,
  noAnswer: 0.15,
  busy: 0.1,
  voicemail: 0.15,
  invalid: 0.02,
  failed: 0.01,
});

export const DUTCH_TIPS: readonly string[] = [
  "ik zag een man in een rode jas richting het station lopen",
  "er stond een grijze auto met draaiende motor bij de supermarkt",
  "een jongen op een zwarte scooter reed net heel hard de brug over",
  "ik denk dat ik het vermiste meisje bij de speeltuin heb gezien",
  "twee mannen renden weg in de richting van het park",
  "de witte bestelbus stond tien minuten geleden nog op de parkeerplaats",
  "een oudere man met een wandelstok liep verward over de dijk",
  "ik hoorde glasgerinkel en zag iemand over het hek klimmen",
];

export interface PopulationOptions {
  seed: number | string;
  mix?: Partial<PopulationMix>;
  /** Share of reachable citizens whose SMS comes back undelivered (default 0.02). */
  smsFailureRate?: number;
}

export interface Population {
  /** The persona of a phone number: the same for the same seed and number, whatever the call order. */
  persona(phone: string): Persona;
  kindOf(phone: string): PopulationKind;
  readonly mix: Readonly<PopulationMix>;
}

export function createPopulation(opts: PopulationOptions): Population {
  const mix: PopulationMix = { ...DEFAULT_MIX, ...opts.mix };
  const kinds = Object.keys(mix) as PopulationKind[];
  const total = kinds.reduce((sum, k) => sum + Math.max(0, mix[k]), 0);
  if (!(total > 0)) throw new Error("population mix must have a positive share");
  const smsFailureRate = opts.smsFailureRate ?? 0.02;
  const seed = String(opts.seed);

  function kindFrom(r: number): PopulationKind {
    let acc = 0;
    for (const k of kinds) {
      acc += Math.max(0, mix[k]) / total;
      if (r < acc) return k;
    }
    return kinds[kinds.length - 1];
  }

  return {
    mix,
    kindOf: (phone) => kindFrom(rngFor(seed, phone)()),
    persona(phone) {
      const rand = rngFor(seed, phone);
      const kind = kindFrom(rand());
      const persona = personaOf(kind, rand);
      if (rand() < smsFailureRate) persona.sms = "undelivered";
      return persona;
    },
  };
}

function personaOf(kind: PopulationKind, rand: () => number): Persona {
  const ringSeconds = Math.round(2 + rand() * 8);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  switch (kind) {
    case "listen":
      return { answer: "human", ringSeconds };
    case "tip":
      return {
        answer: "human",
        ringSeconds,
        script: [
          { digits: "2" },
          { speech: pick(DUTCH_TIPS), confidence: Math.round((0.75 + rand() * 0.24) * 100) / 100 },
        ],
      };
    case "replay":
      return { answer: "human", ringSeconds, script: [{ digits: "3" }] };
    case "connect":
      return { answer: "human", ringSeconds, script: [{ digits: "1" }] };
    case "unsubscribe":
      return { answer: "human", ringSeconds, script: [{ digits: "9" }] };
    case "invalidKey":
      return { answer: "human", ringSeconds, script: [{ digits: pick(["7", "0", "*"]) }] };
    case "hangupEarly":
      return { answer: "human", ringSeconds, hangupAfterSeconds: Math.round(2 + rand() * 8) };
    case "noAnswer":
      return { answer: "no-answer" };
    case "busy":
      return { answer: "busy" };
    case "voicemail":
      return { answer: "voicemail", greetingSeconds: Math.round(5 + rand() * 10) };
    case "invalid":
      return { answer: "invalid" };
    case "failed":
      return { answer: "failed" };
  }
}

/** Deterministic, distinct Dutch mobile numbers: +31610000000, +31610000001, … */
export function dutchMobileNumbers(count: number, offset = 0): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`+316${String(10_000_000 + offset + i).padStart(8, "0")}`);
  return out;
}

/** mulberry32 seeded from an FNV-1a hash of seed and phone. */
function rngFor(seed: string, phone: string): () => number {
  let h = 0x811c9dc5;
  const key = `${seed}|${phone}`;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

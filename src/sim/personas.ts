import type { AnsweredBy, Persona, PersonaAction, PersonaSource } from "./types.ts";

/** Answers after a few rings, listens to everything, says nothing. */
export const DEFAULT_PERSONA: Persona = Object.freeze({ answer: "human" });

export const RING_SECONDS = { human: 4, voicemail: 20 } as const;
export const DEFAULT_TALK_SECONDS = 20;
export const DEFAULT_GREETING_SECONDS = 8;

export interface PersonaBook {
  get(phone: string): Persona;
  set(phone: string, persona: Persona): void;
  reset(): void;
}

export function createPersonaBook(source: PersonaSource | undefined, fallback: Persona = DEFAULT_PERSONA): PersonaBook {
  const overrides = new Map<string, Persona>();
  const lookup = toLookup(source);
  return {
    get: (phone) => overrides.get(phone) ?? lookup(phone) ?? fallback,
    set: (phone, persona) => void overrides.set(phone, persona),
    reset: () => overrides.clear(),
  };
}

function toLookup(source: PersonaSource | undefined): (phone: string) => Persona | undefined {
  if (source === undefined) return () => undefined;
  if (typeof source === "function") return source;
  if (source instanceof Map) return (phone) => source.get(phone);
  const record = source as Readonly<Record<string, Persona>>;
  return (phone) => (Object.hasOwn(record, phone) ? record[phone] : undefined);
}

/** Walks a persona's script, one action per prompt; afterwards the citizen is silent. */
export class ScriptCursor {
  private index = 0;
  constructor(private readonly script: readonly PersonaAction[] = []) {}

  next(): PersonaAction {
    return this.script[this.index++] ?? { silence: true };
  }

  peek(): PersonaAction {
    return this.script[this.index] ?? { silence: true };
  }
}

export function amdVerdict(persona: Persona, mode: "Enable" | "DetectMessageEnd"): AnsweredBy {
  if (persona.answeredBy) return persona.answeredBy;
  if (persona.answer !== "voicemail") return "human";
  return mode === "DetectMessageEnd" ? "machine_end_beep" : "machine_start";
}

/** Simulated seconds AMD needs before it decides. */
export function amdSeconds(persona: Persona, mode: "Enable" | "DetectMessageEnd"): number {
  if (persona.answer !== "voicemail") return 2.5;
  return mode === "DetectMessageEnd" ? (persona.greetingSeconds ?? DEFAULT_GREETING_SECONDS) + 1 : 3.5;
}

export function speechSeconds(text: string): number {
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  return words / 2.5;
}

import type { Logger } from "pino";
import type { SimClock } from "./clock.ts";
import type { SimEvents } from "./events.ts";
import type { PersonaBook } from "./personas.ts";
import type { Faults } from "./rest-faults.ts";
import type { SimStore } from "./store.ts";
import type { Webhooks } from "./types.ts";
import type { WebhookClient } from "./webhook-client.ts";

/** The shared parts of one emulated phone network, handed to the REST routes and the call/SMS runners. */
export interface Network {
  readonly accountSid: string;
  readonly authToken: string;
  /** The emulator's own base URL (known once it listens): recordings point there. */
  baseUrl(): string;
  readonly clock: SimClock;
  readonly webhooks: WebhookClient;
  readonly personas: PersonaBook;
  readonly store: SimStore;
  readonly events: SimEvents;
  readonly log: Logger;
  readonly keepTranscripts: boolean;
  /** Injected failures: creates refused, status callbacks lost. */
  readonly faults?: Faults;
  /** Where inbound calls and SMS go; settable after start. */
  inbound: Webhooks;
  /** How far the carrier's clock runs ahead of ours (negative: behind), in the dates its REST API reports. */
  clockSkewMs: number;
}

export const API_VERSION = "2010-04-01";

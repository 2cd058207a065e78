import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import { createAgents, postJson, type PostResult } from "./http-post.js";
import { eventBody, webhookId, type EventRow } from "./payload.js";
import {
  DEFAULT_MAX_AGE_MS,
  DEFAULT_RETRY_SCHEDULE_MS,
  nextDelayMs,
  parseRetryAfter,
  type RetryPolicy,
} from "./retry.js";
import { senderQueries as q, type ClaimBounds } from "./sender-queries.js";
import { signedHeaders } from "./signing.js";
import { systemResolver, type Resolver } from "./ssrf.js";

export interface SenderOptions {
  pollMs?: number;
  retryScheduleMs?: number[];
  maxAgeMs?: number;
  timeoutMs?: number;
  /** Requests in flight to one subscription, across all instances. */
  concurrencyPerEndpoint?: number;
  /** Requests of one unit in flight to one destination host, across all instances. */
  concurrencyPerHost?: number;
  /** Requests of one unit in flight, across all instances: a unit's stalled endpoints hold at most this many. */
  concurrencyPerUnit?: number;
  /**
   * Requests in flight from this instance. At least units × concurrencyPerUnit (10 × 16), so that stalled units
   * can never take the slots another unit's deliveries need.
   */
  maxInFlight?: number;
  random?: () => number;
  /** Stands in for DNS; with private targets allowed (development, tests) its answers are used unchecked. */
  resolver?: Resolver;
  /** Certificates trusted besides the system's (PEM): a test's own authority. */
  ca?: string;
}

interface Claimed extends EventRow {
  event_id: string;
  subscription_id: string;
  attempts: number;
  retry_from: Date;
  url: string;
  secret: string;
  previous_secret: string | null;
}

type Outcome = { result: PostResult; error?: undefined } | { result?: undefined; error: string };
export type AttemptOutcome = "delivered" | "retry" | "gave_up" | "gone";

export function createWebhookSender(deps: {
  db: Db;
  log: FastifyBaseLogger;
  clock: () => Date;
  allowPrivate: boolean;
  options?: SenderOptions;
  /** Each attempt's outcome once recorded (burgernet_webhook_attempts_total). */
  onAttempt?: (outcome: AttemptOutcome) => void;
}) {
  const { db, log, clock } = deps;
  const o = deps.options ?? {};
  const pollMs = o.pollMs ?? 1_000;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const bounds: ClaimBounds = {
    perEndpoint: o.concurrencyPerEndpoint ?? 4,
    perHost: o.concurrencyPerHost ?? 8,
    perUnit: o.concurrencyPerUnit ?? 16,
  };
  const maxInFlight = o.maxInFlight ?? 160;
  const leaseMs = timeoutMs * 3;
  const policy: RetryPolicy = {
    scheduleMs: o.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
    maxAgeMs: o.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    random: o.random ?? Math.random,
  };
  const resolver = deps.allowPrivate ? (o.resolver ?? null) : (o.resolver ?? systemResolver);
  const publicOnly = !deps.allowPrivate;
  const owner = `sender-${randomUUID()}`;
  const agents = createAgents(o.ca);

  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let lastReclaim = 0;
  const inFlight = new Set<Promise<void>>();

  async function tick() {
    try {
      if (Date.now() - lastReclaim > leaseMs / 2) {
        lastReclaim = Date.now();
        await q.reclaimExpired(db);
      }
      const free = maxInFlight - inFlight.size;
      if (free <= 0) return;
      const rows = (await q.claimDue<Claimed>(db, owner, leaseMs, free, bounds)).rows;
      for (const row of rows) {
        const p = send(row).finally(() => {
          inFlight.delete(p);
          wake();
        });
        inFlight.add(p);
      }
    } catch (err) {
      if (!stopped) log.warn({ err }, "webhook sender tick failed");
    }
  }

  let timerDueAt = Infinity;
  /**
   * Keeps a timer that is due sooner: a stream of wakes (NOTIFYs of every schema on the server arrive on the shared
   * channel) would otherwise keep pushing a due tick back and starve it.
   */
  function schedule(ms: number) {
    const dueAt = Date.now() + ms;
    if (timer !== undefined && timerDueAt <= dueAt) return;
    clearTimeout(timer);
    if (stopped) return;
    timerDueAt = dueAt;
    timer = setTimeout(() => {
      timer = undefined;
      timerDueAt = Infinity;
      run();
    }, ms);
  }

  function run() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = tick().finally(() => {
      running = null;
      if (again) {
        again = false;
        schedule(0);
      } else schedule(pollMs);
    });
  }

  /** New events or a freed slot: look for work now instead of at the next poll. */
  function wake() {
    if (stopped) return;
    if (running) again = true;
    else schedule(0);
  }

  async function post(row: Claimed, body: string): Promise<Outcome> {
    const secrets = [row.secret, ...(row.previous_secret ? [row.previous_secret] : [])];
    const headers = signedHeaders(secrets, webhookId(row.event_id), clock(), body);
    try {
      return {
        result: await postJson(new URL(row.url), { ...headers }, body, { timeoutMs, resolver, publicOnly, agents }),
      };
    } catch (err) {
      return { error: (err as Error).message.slice(0, 300) };
    }
  }

  async function send(row: Claimed) {
    const body = JSON.stringify(eventBody({ ...row, id: row.event_id }));
    const startedAt = clock();
    const t0 = performance.now();
    const outcome = await post(row, body);
    const durationMs = Math.round(performance.now() - t0);
    const status = outcome.result?.status ?? null;
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(outcome.result?.retryAfter, clock()) : null;
    const error = outcome.error ?? (status !== null && (status < 200 || status >= 300) ? `HTTP ${status}` : null);
    const attempt = row.attempts + 1;
    const ctx = {
      deliveryId: row.id,
      subscriptionId: row.subscription_id,
      eventType: row.type,
      attempt,
      status,
      durationMs,
    };
    try {
      const recorded = await db.withTransaction(async (tx): Promise<AttemptOutcome> => {
        await q.insertAttempt(tx, {
          deliveryId: row.id,
          at: startedAt,
          durationMs,
          status,
          error: outcome.error ?? null,
          retryAfterS: retryAfterMs === null ? null : Math.ceil(retryAfterMs / 1000),
        });
        if (status !== null && status >= 200 && status < 300) {
          await q.markSucceeded(tx, row.id, owner, startedAt, status);
          log.debug(ctx, "webhook delivered");
          return "delivered";
        } else if (status === 410) {
          await q.markFailed(tx, row.id, owner, startedAt, status, "receiver answered 410 Gone");
          await q.disableSubscription(tx, row.subscription_id, "receiver answered 410 Gone");
          await q.failPending(tx, row.subscription_id, "subscription disabled (410 Gone)");
          log.warn(ctx, "webhook subscription disabled: receiver answered 410 Gone");
          return "gone";
        } else {
          const ageMs = clock().getTime() - new Date(row.retry_from).getTime();
          const delay = nextDelayMs(policy, attempt, ageMs, retryAfterMs);
          if (delay === null) {
            await q.markFailed(tx, row.id, owner, startedAt, status, error);
            log.warn({ ...ctx, error }, "webhook delivery gave up");
            return "gave_up";
          }
          await q.markRetry(tx, row.id, owner, startedAt, status, error, delay);
          log.info({ ...ctx, error, retryInMs: delay }, "webhook delivery failed, will retry");
          return "retry";
        }
      });
      deps.onAttempt?.(recorded);
    } catch (err) {
      // The lease expires and the delivery is sent again: at least once.
      log.error({ err, ...ctx }, "could not record a webhook attempt");
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    wake,
    /** Stops claiming and waits for the requests in flight (each bounded by the timeout). */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      timerDueAt = Infinity;
      await running;
      await Promise.allSettled([...inFlight]);
      agents.destroy();
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

import { sqlList } from "../db/sql-list.js";

/**
 * The alert lifecycle: draft → dispatching → active → closed | cancelled. The one owner of alert statuses: the
 * lists, what "live" means (in code and in SQL), and which transition may leave which status. Every status UPDATE
 * in src/alerts/queries.ts names its transition and takes its statuses from here.
 */
export const ALERT_STATUSES = ["draft", "dispatching", "active", "closed", "cancelled"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Alert messages may still go out, and citizens can still answer it (with an expiry not yet passed). */
export const LIVE_ALERT_STATUSES = ["dispatching", "active"] as const satisfies readonly AlertStatus[];
/** Nothing changes any more (a closed alert only sends its closing message). */
export const FINAL_ALERT_STATUSES = ["closed", "cancelled"] as const satisfies readonly AlertStatus[];

export type AlertTransition = "dispatch" | "dispatched" | "close" | "cancel";

export const ALERT_TRANSITIONS: Readonly<Record<AlertTransition, { from: readonly AlertStatus[]; to: AlertStatus }>> = {
  /** An operator starts a draft. */
  dispatch: { from: ["draft"], to: "dispatching" },
  /** Housekeeping: every first attempt is at the carrier. */
  dispatched: { from: ["dispatching"], to: "active" },
  /** The outcome is in; the closing message goes to everyone reached. */
  close: { from: LIVE_ALERT_STATUSES, to: "closed" },
  /** Nothing more is sent. */
  cancel: { from: ["draft", ...LIVE_ALERT_STATUSES], to: "cancelled" },
};

/** The status `transition` leads to from `from`, or null when it may not leave that status. */
export function nextAlertStatus(from: AlertStatus, transition: AlertTransition): AlertStatus | null {
  const t = ALERT_TRANSITIONS[transition];
  return t.from.includes(from) ? t.to : null;
}

/** A created alert is a draft, or dispatching straight away. */
export const createdStatus = (dispatch: boolean): AlertStatus => (dispatch ? "dispatching" : "draft");

/** Texts and expiry may still change (CAP Update): a draft or a live alert. */
export const isEditable = (status: AlertStatus) => status === "draft" || isLiveStatus(status);

export const isLiveStatus = (status: string): boolean => (LIVE_ALERT_STATUSES as readonly string[]).includes(status);

/** The alert is live: its status, and its expiry at `now` (an instant). */
export const isLiveAlert = (a: { status: string; expires_at: Date }, now: Date) =>
  isLiveStatus(a.status) && a.expires_at > now;

/** SQL: the alert `alias` has a live status (without its expiry: for figures of live and recent alerts). */
export const liveStatusSql = (alias = "a") => `${alias}.status IN (${sqlList(LIVE_ALERT_STATUSES)})`;

/** SQL: the alert `alias` is live now: a live status and not expired. */
export const liveAlertSql = (alias = "a") => `(${liveStatusSql(alias)} AND ${alias}.expires_at > now())`;

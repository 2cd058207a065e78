import type { Queryable, Row } from "../db/db.js";

/** The columns a new delivery is given; its status is the column's default, `pending`. */
export const ENQUEUE_COLUMNS =
  "(alert_id, participant_id, phone, channel, purpose, language, urgent, rank, distance_m)";

/**
 * Transition enqueue, in one statement: after the CTEs of `head`, the deliveries that `rows` selects (the columns
 * ENQUEUE_COLUMNS, in order) are inserted as the CTE `inserted`, and `then` reads what the caller needs. Which
 * participants and channels is the alert's decision (alerts/targeting.ts).
 */
export const enqueue = <R extends Row>(
  db: Queryable,
  s: { head: string; rows: string; then: string; values: unknown[] },
) =>
  db.query<R>(
    `${s.head},
     inserted AS (INSERT INTO deliveries ${ENQUEUE_COLUMNS} ${s.rows} RETURNING 1)
     ${s.then}`,
    s.values,
  );

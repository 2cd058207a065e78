import type { Queryable } from "../db/db.js";
import {
  enqueueStatement,
  toCounts,
  type CountRow,
  type TargetingCounts,
  type TargetingInput,
} from "../alerts/targeting.js";

/**
 * Transition enqueue: one delivery per selected participant and channel, nearest first (status `pending`, the
 * column's default), and the targeting counts, in one pass. The selection is the alert's (alerts/targeting.ts).
 */
export async function insertDeliveries(
  db: Queryable,
  alertId: string,
  urgent: boolean,
  input: TargetingInput,
): Promise<TargetingCounts> {
  const { head, rows, columns, values } = enqueueStatement(input);
  const res = await db.query<CountRow>(
    `${head},
     inserted AS (INSERT INTO deliveries ${columns} ${rows} RETURNING 1)
     SELECT skip_reason, count(*) AS n,
            count(*) FILTER (WHERE send_voice) AS voice,
            count(*) FILTER (WHERE send_sms) AS sms
       FROM targets, (SELECT count(*) FROM inserted) AS written
      GROUP BY skip_reason`,
    [alertId, urgent, ...values],
  );
  return toCounts(res.rows);
}

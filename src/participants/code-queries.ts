import type { Queryable } from "../db/db.js";

/** The code send log (sql/012): NULL when the slot is taken, else the limit that is reached. */
export const takeCodeSlot = (
  db: Queryable,
  s: {
    kind: "send" | "attempt";
    phoneHash: string;
    keyId: string | null;
    at: Date;
    perPhone: number;
    perKey: number;
    total: number;
  },
) =>
  db.query<{ full: "phone" | "key" | "total" | null }>("SELECT take_code_slot($1, $2, $3, $4, $5, $6, $7) AS full", [
    s.kind,
    s.phoneHash,
    s.keyId,
    s.at,
    s.perPhone,
    s.perKey,
    s.total,
  ]);

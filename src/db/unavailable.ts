/**
 * The database cannot be reached right now (a restart, a failover, the network), as opposed to a statement it
 * refused: the server ending sessions (57P01 admin shutdown, 57P02 crash shutdown, 57P03 starting up), a connection
 * failure class 08, or the driver finding no server or losing it mid-statement. The request may be tried again.
 */
const CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "ECONNREFUSED",
  "ECONNRESET",
]);
const MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/;

export function databaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const e = err as { code?: unknown; message?: unknown };
  return (
    (typeof e.code === "string" && CODES.has(e.code)) || (typeof e.message === "string" && MESSAGES.test(e.message))
  );
}

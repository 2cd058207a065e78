import type pg from "pg";

/** The parts of pg's protocol connection a COPY FROM STDIN needs (present in pg 8, absent from its typings). */
interface CopyConnection extends pg.Connection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * `COPY … FROM STDIN` over node-postgres without another dependency: a Submittable that answers the server's
 * CopyInResponse with the chunks of `source`, waiting for the socket to drain so that memory stays flat.
 * Resolves with the number of rows the server reports.
 */
export function copyFrom(
  client: pg.PoolClient | pg.Client,
  sql: string,
  source: AsyncIterable<Buffer> | Iterable<Buffer>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let failure: Error | undefined;
    const submittable = {
      submit(connection: pg.Connection) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: CopyConnection) {
        void (async () => {
          try {
            for await (const chunk of source) {
              connection.sendCopyFromChunk(chunk);
              if (connection.stream.writableNeedDrain) {
                await new Promise<void>((r) => connection.stream.once("drain", () => r()));
              }
            }
            connection.endCopyFrom();
          } catch (err) {
            failure = err as Error;
            connection.sendCopyFail(String((err as Error).message));
          }
        })();
      },
      handleCommandComplete(msg: { text: string }) {
        const m = /^COPY (\d+)/.exec(msg.text);
        if (m) rows = Number(m[1]);
      },
      handleError(err: Error & { severity?: string }) {
        failure ??= err;
        // A server error is followed by ReadyForQuery; a broken connection is not.
        if (!err.severity) reject(err);
      },
      handleReadyForQuery() {
        if (failure) reject(failure);
        else resolve(rows);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    };
    client.query(submittable);
  });
}

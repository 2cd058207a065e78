import { Writable } from "node:stream";
import type { FastifyBaseLogger } from "fastify";
import { pino } from "pino";
import { loggerOptions } from "../../src/log.js";

/** The service's own logger (redaction and all) writing into `lines`, one JSON line each, for a test to read. */
export function capturedLogger(level: string) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, logger: pino(loggerOptions(level), sink) as unknown as FastifyBaseLogger };
}

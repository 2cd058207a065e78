import type { IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import type { FastifyInstance, FastifyRequest } from "fastify";

// The carrier counts a call against its rate when the request reaches it, not when our handler gets round to
// it: the moment is taken first thing, before authentication and body parsing.
const arrivals = new WeakMap<IncomingMessage, number>();

export function stampArrivals(app: FastifyInstance): void {
  app.addHook("onRequest", (req, _reply, done) => {
    arrivals.set(req.raw, performance.now());
    done();
  });
}

/** When the request arrived, in performance.now() milliseconds. */
export const arrivalOf = (req: FastifyRequest): number => arrivals.get(req.raw) ?? performance.now();

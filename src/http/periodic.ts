import type { FastifyInstance } from "fastify";

/**
 * Runs `pass` every `intervalMs` from the app's ready until its close (0: never on its own), one pass at a time: a
 * tick while a pass runs is skipped, and close waits for the pass in flight. A failed pass is logged, never thrown.
 */
export function runPeriodically(app: FastifyInstance, name: string, intervalMs: number, pass: () => Promise<unknown>) {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = pass()
      .catch((err) => app.log.error({ err }, `${name} pass failed`))
      .finally(() => (running = null));
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook("onReady", async () => {
    if (intervalMs > 0) timer = setInterval(tick, intervalMs).unref();
  });
  app.addHook("onClose", async () => {
    clearInterval(timer);
    await running;
  });
}

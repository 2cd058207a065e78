import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { createDispatcher, type Dispatcher, type DispatcherOptions } from "./dispatcher.js";

declare module "fastify" {
  interface FastifyInstance {
    dispatcher: Dispatcher;
  }
}

/** The dispatcher runs inside the service; closing the app stops it and hands its claims back. */
export const dispatcherPlugin = fp(
  async (app: FastifyInstance, opts: Omit<DispatcherOptions, "log"> & { autoStart: boolean }) => {
    const dispatcher = createDispatcher({ ...opts, log: app.log.child({ component: "dispatcher" }) });
    app.decorate("dispatcher", dispatcher);
    if (opts.autoStart) app.addHook("onReady", async () => dispatcher.start());
    app.addHook("onClose", async () => dispatcher.stop());
    // In a burst of carrier callbacks the loop runs request after request before it gets to its timers: a start
    // slot due meanwhile is taken between two of them rather than lost (bench/RESULTS.md, pace: slots lost).
    const poke = (_req: unknown, _reply: unknown, done: () => void) => {
      dispatcher.pokeSlots();
      done();
    };
    app.addHook("onRequest", poke);
    app.addHook("onResponse", poke);
  },
  { name: "dispatcher" },
);

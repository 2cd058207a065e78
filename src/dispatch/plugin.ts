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
  },
  { name: "dispatcher" },
);

import type { FastifyInstance } from "fastify";
import { principalOf, requireRole } from "../access/auth.js";
import type { Db } from "../db/db.js";
import { errorResponses } from "../http/schemas.js";
import {
  createSubscriptionBody,
  deliveriesOutput,
  deliveriesQuery,
  idParams,
  patchSubscriptionBody,
  replayBody,
  replayOutput,
  subscriptionOutput,
} from "./schemas.js";
import type { SubscriptionInput, Webhooks } from "./service.js";

export function webhookRoutes(webhooks: Webhooks, db: Db) {
  return async function (app: FastifyInstance) {
    app.addHook("onRequest", requireRole(db, "operator"));
    const tags = ["webhooks"];
    const security = [{ apiKey: [] }];
    type Id = { Params: { id: string } };

    app.post<{ Body: SubscriptionInput }>(
      "/v1/webhooks",
      {
        schema: {
          tags,
          security,
          summary: "Subscribe an endpoint to this region's events; the secret is shown only now",
          body: createSubscriptionBody,
          response: { 201: subscriptionOutput, ...errorResponses },
        },
      },
      async (req, reply) => {
        const subscription = await webhooks.create(req.body, principalOf(req));
        return reply.code(201).header("location", `/v1/webhooks/${subscription.id}`).send(subscription);
      },
    );

    app.get(
      "/v1/webhooks",
      {
        schema: {
          tags,
          security,
          summary: "This region's subscriptions (without secrets)",
          response: {
            200: { type: "object", properties: { webhooks: { type: "array", items: subscriptionOutput } } },
            ...errorResponses,
          },
        },
      },
      async (req) => ({ webhooks: await webhooks.list(principalOf(req)) }),
    );

    app.get<Id>(
      "/v1/webhooks/:id",
      {
        schema: {
          tags,
          security,
          summary: "One subscription",
          params: idParams,
          response: { 200: subscriptionOutput, ...errorResponses },
        },
      },
      async (req) => webhooks.get(req.params.id, principalOf(req)),
    );

    app.patch<Id & { Body: Partial<SubscriptionInput> & { status?: "active" } }>(
      "/v1/webhooks/:id",
      {
        schema: {
          tags,
          security,
          summary: "Change URL, event types or description, or re-enable",
          params: idParams,
          body: patchSubscriptionBody,
          response: { 200: subscriptionOutput, ...errorResponses },
        },
      },
      async (req) => webhooks.update(req.params.id, req.body, principalOf(req)),
    );

    app.delete<Id>(
      "/v1/webhooks/:id",
      {
        schema: {
          tags,
          security,
          summary: "Unsubscribe; undelivered events are dropped",
          params: idParams,
          response: { 204: { type: "null" }, ...errorResponses },
        },
      },
      async (req, reply) => {
        await webhooks.remove(req.params.id, principalOf(req));
        reply.code(204).send();
      },
    );

    app.post<Id>(
      "/v1/webhooks/:id/rotate-secret",
      {
        schema: {
          tags,
          security,
          summary: "New secret (shown once); the old one keeps signing for 24 h",
          params: idParams,
          response: { 200: subscriptionOutput, ...errorResponses },
        },
      },
      async (req) => webhooks.rotate(req.params.id, principalOf(req)),
    );

    app.get<Id & { Querystring: { status?: string; before?: number; limit: number } }>(
      "/v1/webhooks/:id/deliveries",
      {
        schema: {
          tags,
          security,
          summary: "Deliveries with every attempt, newest first",
          params: idParams,
          querystring: deliveriesQuery,
          response: { 200: deliveriesOutput, ...errorResponses },
        },
      },
      async (req) => webhooks.deliveries(req.params.id, principalOf(req), req.query),
    );

    app.post<Id & { Body: { since: string; until?: string; eventIds?: string[]; includeSucceeded?: boolean } }>(
      "/v1/webhooks/:id/replay",
      {
        schema: {
          tags,
          security,
          summary: "Resend the events of a time window, each with its original webhook-id",
          params: idParams,
          body: replayBody,
          response: { 202: replayOutput, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(202).send(await webhooks.replay(req.params.id, principalOf(req), req.body)),
    );
  };
}

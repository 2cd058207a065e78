import type { FastifyInstance } from "fastify";
import type { Db } from "../db/db.js";
import { principalOf, requireRole } from "../access/auth.js";
import { errorResponses } from "../http/schemas.js";
import type { Alerts } from "./service.js";
import type { AlertRequest } from "./template-input.js";
import type { FollowUpInput } from "./follow-up.js";
import type { AreaInput } from "./area.js";
import {
  alertIdParams,
  alertInput,
  alertOutput,
  closeBody,
  deliveriesQuery,
  deliveryOutput,
  extendBody,
  extendOutput,
  followUpBody,
  followUpOutput,
  listQuery,
  previewOutput,
} from "./schemas.js";

const idempotencyHeaders = {
  type: "object",
  properties: { "idempotency-key": { type: "string", minLength: 1, maxLength: 200 } },
} as const;

export function alertRoutes(alerts: Alerts, db: Db) {
  return async function (app: FastifyInstance) {
    app.addHook("onRequest", requireRole(db, "operator"));
    const tags = ["alerts"];
    const security = [{ apiKey: [] }];

    app.post<{ Body: AlertRequest }>(
      "/v1/alerts/preview",
      {
        schema: {
          tags,
          security,
          summary: "Who would be reached, how, and how long it takes. Writes nothing.",
          body: alertInput,
          response: { 200: previewOutput, ...errorResponses },
        },
      },
      async (req) => alerts.preview(req.body, principalOf(req)),
    );

    app.post<{ Body: AlertRequest; Headers: { "idempotency-key"?: string } }>(
      "/v1/alerts",
      {
        schema: {
          tags,
          security,
          summary: "Create an alert (dispatched at once unless dispatch is false)",
          headers: idempotencyHeaders,
          body: alertInput,
          response: { 200: alertOutput, 201: alertOutput, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { alert, created } = await alerts.create(req.body, principalOf(req), {
          idempotencyKey: req.headers["idempotency-key"],
        });
        if (created) reply.header("location", `/v1/alerts/${alert.id}`);
        return reply.code(created ? 201 : 200).send(alert);
      },
    );

    app.get<{ Querystring: { status?: string; limit?: number; before?: string; mode?: string } }>(
      "/v1/alerts",
      {
        schema: {
          tags,
          security,
          summary: "Alerts of your region, newest first",
          querystring: listQuery,
          response: { 200: { type: "array", items: alertOutput }, ...errorResponses },
        },
      },
      async (req) => alerts.list(principalOf(req), req.query),
    );

    app.get<{ Params: { id: string } }>(
      "/v1/alerts/:id",
      {
        schema: {
          tags,
          security,
          summary: "An alert with its progress",
          params: alertIdParams,
          response: { 200: alertOutput, ...errorResponses },
        },
      },
      async (req) => alerts.get(req.params.id, principalOf(req)),
    );

    app.get<{ Params: { id: string }; Querystring: { status?: string; after?: number; limit?: number } }>(
      "/v1/alerts/:id/deliveries",
      {
        schema: {
          tags,
          security,
          summary: "Deliveries of an alert, paged by id",
          params: alertIdParams,
          querystring: deliveriesQuery,
          response: { 200: { type: "array", items: deliveryOutput }, ...errorResponses },
        },
      },
      async (req) => alerts.deliveries(req.params.id, principalOf(req), req.query),
    );

    app.post<{ Params: { id: string } }>(
      "/v1/alerts/:id/dispatch",
      {
        schema: {
          tags,
          security,
          summary: "Start a draft alert",
          params: alertIdParams,
          response: { 200: alertOutput, ...errorResponses },
        },
      },
      async (req) => alerts.dispatch(req.params.id, principalOf(req)),
    );

    app.post<{ Params: { id: string } }>(
      "/v1/alerts/:id/cancel",
      {
        schema: {
          tags,
          security,
          summary: "Cancel: nothing more is sent once this returns",
          params: alertIdParams,
          response: { 200: alertOutput, ...errorResponses },
        },
      },
      async (req) => alerts.cancel(req.params.id, principalOf(req)),
    );

    app.post<{ Params: { id: string }; Body: { outcome: string; message: string } }>(
      "/v1/alerts/:id/close",
      {
        schema: {
          tags,
          security,
          summary: "Close with an outcome; the closing message goes to everyone reached",
          params: alertIdParams,
          body: closeBody,
          response: { 200: alertOutput, ...errorResponses },
        },
      },
      async (req) => alerts.close(req.params.id, principalOf(req), req.body),
    );

    app.post<{ Params: { id: string }; Body: FollowUpInput; Headers: { "idempotency-key"?: string } }>(
      "/v1/alerts/:id/updates",
      {
        schema: {
          tags,
          security,
          summary: "Follow up: new texts, and with notify reached an update to everyone reached, once",
          params: alertIdParams,
          headers: idempotencyHeaders,
          body: followUpBody,
          response: { 200: followUpOutput, ...errorResponses },
        },
      },
      async (req) =>
        (await alerts.postUpdate(req.params.id, principalOf(req), req.body, req.headers["idempotency-key"])).update,
    );

    app.post<{ Params: { id: string }; Body: { area: AreaInput } }>(
      "/v1/alerts/:id/extend",
      {
        schema: {
          tags,
          security,
          summary: "Widen the area: only participants not yet targeted are added, nearest first",
          params: alertIdParams,
          body: extendBody,
          response: { 200: extendOutput, ...errorResponses },
        },
      },
      async (req) => alerts.extend(req.params.id, principalOf(req), req.body),
    );
  };
}

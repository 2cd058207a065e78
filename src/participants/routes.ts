import type { FastifyInstance } from "fastify";
import type { Db } from "../db/db.js";
import { requireRole, principalOf } from "../access/auth.js";
import { errorResponses } from "../http/schemas.js";
import { assertRegistrar } from "./registrar.js";
import type { Participants, LocationInput } from "./service.js";
import {
  createParticipantBody,
  idParams,
  participantOutput,
  patchParticipantBody,
  registrationAccepted,
  verifyBody,
} from "./schemas.js";
import type { Language } from "../languages/languages.js";

export function participantRoutes(participants: Participants, db: Db) {
  return async function (app: FastifyInstance) {
    app.addHook("onRequest", requireRole(db, "registration"));
    app.addHook("preHandler", async (req) => {
      const { id } = (req.params ?? {}) as { id?: string };
      if (id) await assertRegistrar(db, id, principalOf(req));
    });
    const tags = ["participants"];
    const security = [{ apiKey: [] }];

    app.post<{
      Body: { phone: string; language: Language; channels: string[]; locations: LocationInput[]; drills?: boolean };
    }>(
      "/v1/participants",
      {
        schema: {
          tags,
          security,
          summary: "Register a participant; a 6-digit code is sent by SMS",
          body: createParticipantBody,
          response: { 202: registrationAccepted, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(202).send(await participants.register(req.body, principalOf(req).keyId)),
    );

    app.post<{ Params: { id: string }; Body: { code: string } }>(
      "/v1/participants/:id/verify",
      {
        schema: {
          tags,
          security,
          summary: "Prove the phone with the SMS code",
          params: idParams,
          body: verifyBody,
          response: { 200: participantOutput, ...errorResponses },
        },
      },
      async (req) => participants.verify(req.params.id, req.body.code, principalOf(req).keyId),
    );

    app.post<{ Params: { id: string } }>(
      "/v1/participants/:id/resend",
      {
        schema: {
          tags,
          security,
          summary: "Send a new code (rate-limited per phone)",
          params: idParams,
          response: { 202: registrationAccepted, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(202).send(await participants.resend(req.params.id, principalOf(req).keyId)),
    );

    app.get<{ Params: { id: string } }>(
      "/v1/participants/:id",
      {
        schema: {
          tags,
          security,
          summary: "Read a participant",
          params: idParams,
          response: { 200: participantOutput, ...errorResponses },
        },
      },
      async (req) => participants.get(req.params.id, principalOf(req).keyId),
    );

    app.patch<{
      Params: { id: string };
      Body: { language?: Language; channels?: string[]; locations?: LocationInput[]; drills?: boolean };
    }>(
      "/v1/participants/:id",
      {
        schema: {
          tags,
          security,
          summary: "Change channels, language, locations or windows",
          params: idParams,
          body: patchParticipantBody,
          response: { 200: participantOutput, ...errorResponses },
        },
      },
      async (req) => participants.update(req.params.id, req.body, principalOf(req).keyId),
    );

    app.delete<{ Params: { id: string } }>(
      "/v1/participants/:id",
      {
        schema: {
          tags,
          security,
          summary: "Erase a participant (phone and locations removed)",
          params: idParams,
          response: { 204: { type: "null" }, ...errorResponses },
        },
      },
      async (req, reply) => {
        await participants.erase(req.params.id, principalOf(req).keyId);
        reply.code(204).send();
      },
    );
  };
}

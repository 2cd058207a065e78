import type { FastifyRequest } from "fastify";
import type { Db } from "../db/db.js";
import { Errors } from "../errors.js";
import { findPrincipal, type Principal, type Role } from "./keys.js";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerKey(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match ? match[1] : null;
}

/**
 * A hook that admits only API keys of the given roles (admin is always admitted). Routes run it onRequest, before
 * the body is parsed or validated: a request without a valid key learns nothing about the schemas.
 */
export function requireRole(db: Db, ...roles: Role[]) {
  return async (req: FastifyRequest) => {
    const key = bearerKey(req.headers.authorization);
    const principal = key ? await findPrincipal(db, key) : null;
    if (!principal) throw new Errors.Unauthorized();
    if (principal.role !== "admin" && !roles.includes(principal.role)) {
      throw new Errors.Forbidden(`This API key (role ${principal.role}) may not do this`);
    }
    req.principal = principal;
  };
}

/** Operators see only their own region; admins see all. */
export function assertRegion(principal: Principal | undefined, region: string) {
  if (!principal) throw new Errors.Unauthorized();
  if (principal.role === "admin") return;
  if (principal.region !== region) throw new Errors.Forbidden(`This API key is for region ${principal.region}`);
}

/**
 * Another unit's alert or sighting answers exactly as an unknown id does, so that ids cannot be probed across units.
 */
export function assertOwnUnit(principal: Principal, region: string, notFound: () => Error) {
  if (principal.role !== "admin" && principal.region !== region) throw notFound();
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Errors.Unauthorized();
  return req.principal;
}

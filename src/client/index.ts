import createClient from "openapi-fetch";
import type { components, operations, paths } from "./api.js";

export type { components, operations, paths };

/**
 * The typed API client, generated from /openapi.json (`npm run client:generate`): paths, bodies and answers are
 * checked at compile time, e.g. `await api.POST("/v1/alerts", { body })` gives `{ data, error, response }`.
 */
export function burgernetClient(baseUrl: string, apiKey?: string) {
  return createClient<paths>({ baseUrl, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
}

export type BurgernetClient = ReturnType<typeof burgernetClient>;

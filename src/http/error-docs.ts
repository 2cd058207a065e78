/**
 * The error codes as the document lists them: each operation names the codes it can answer with (operation-docs),
 * and the document gets one response per HTTP status with an example per code, all in the one `Error` shape.
 */
const CODES: Record<string, [status: number, example: string]> = {
  BN_VALIDATION: [400, "The request does not match the schema"],
  BN_BAD_REQUEST: [400, "Bad request"],
  BN_MALFORMED_BODY: [400, "Body is not valid JSON"],
  BN_BAD_URL: [400, "The URL is not valid"],
  BN_CAP_UNSAFE: [400, "A DOCTYPE is not accepted"],
  BN_CAP_MALFORMED: [400, "The message is not well-formed XML"],
  BN_CAP_INVALID: [400, "The message is not valid CAP 1.2 (OASIS schema)"],
  BN_UNAUTHORIZED: [401, "A valid API key is required (Authorization: Bearer …)"],
  BN_FORBIDDEN: [403, "This API key (role registration) may not do this"],
  BN_AREA_OUTSIDE_REGION: [403, "The area lies outside police unit RE05"],
  BN_REACH_CAP_EXCEEDED: [403, "This alert would reach 61000 people; above 50000 it needs an admin key"],
  BN_BUDGET_EXCEEDED: [
    403,
    "This alert would cost about €271.41 and cross unit RE05's monthly budget; it needs an admin key",
  ],
  BN_NOT_FOUND: [404, "Webhook subscription not found"],
  BN_ALERT_NOT_FOUND: [404, "Alert not found"],
  BN_PARTICIPANT_NOT_FOUND: [404, "Participant not found"],
  BN_CONFLICT: [409, "The alert is already cancelled"],
  BN_BODY_TOO_LARGE: [413, "Request body is too large"],
  BN_URI_TOO_LONG: [414, "The URL is too long"],
  BN_UNSUPPORTED_MEDIA_TYPE: [415, "Send CAP as application/cap+xml or application/xml"],
  BN_INVALID_PHONE: [422, "Not a valid phone number for Burgernet"],
  BN_UNKNOWN_POSTCODE: [422, "Postcode 9999 does not exist"],
  BN_OUTSIDE_NETHERLANDS: [422, "50.85,4.35 lies outside the Netherlands"],
  BN_INVALID_AREA: [422, "Ring 0 crosses itself between positions 4 and 9"],
  BN_AREA_NOT_LARGER: [422, "The new area is no larger than the current one"],
  BN_PHONE_NOT_ALLOWED: [422, "This kind of number (premium rate) is not accepted"],
  BN_VERIFICATION_FAILED: [422, "Wrong code"],
  BN_IMAGE_REJECTED: [422, "The photo must be a JPEG or PNG image"],
  BN_CAP_UNSUPPORTED: [422, "scope Restricted: only Public messages go to citizens"],
  BN_CAP_UNKNOWN_REFERENCE: [422, "<references> names no alert received here"],
  BN_RATE_LIMITED: [429, "Wait a minute before asking for a new code"],
  BN_INTERNAL: [500, "Internal server error"],
  BN_CARRIER_REFUSED: [502, "The carrier refused this SMS (code 21610); it was not sent"],
  BN_CARRIER_UNAVAILABLE: [503, "The carrier is unavailable for a moment; nothing was sent, try again shortly"],
};

const REASONS: Record<number, string> = {
  400: "Bad request",
  401: "No valid API key",
  403: "Not allowed for this key",
  404: "Not found (or another police unit's)",
  409: "Conflicts with the current state",
  413: "Body too large",
  414: "URL too long",
  415: "Unsupported media type",
  422: "Understood but refused",
  429: "Too many requests",
  500: "Internal error (no details are shown)",
  502: "The carrier refused the request",
  503: "The carrier is unavailable for a moment",
};

const errorRef = { $ref: "#/components/schemas/Error" };

/** The responses of the given codes, grouped by status: `{ "404": { description, content: { examples } } }`. */
export function errorResponses(codes: string[]): Record<string, object> {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const known = CODES[code];
    if (!known) throw new Error(`operation-docs names an unknown error code ${code}`);
    byStatus.set(known[0], [...(byStatus.get(known[0]) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: `${REASONS[status]}: ${list.map((c) => `\`${c}\``).join(", ")}`,
        content: {
          "application/json": {
            schema: errorRef,
            examples: Object.fromEntries(
              list.map((code) => [code, { value: { error: { code, message: CODES[code][1] } } }]),
            ),
          },
        },
      },
    ]),
  );
}

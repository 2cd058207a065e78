import createError from "@fastify/error";

/** CAP intake errors; the codes pass through the one error handler like the catalogue's. */
export const CapErrors = {
  Unsafe: createError<[string]>("BN_CAP_UNSAFE", "%s", 400),
  Malformed: createError<[string]>("BN_CAP_MALFORMED", "%s", 400),
  Invalid: createError("BN_CAP_INVALID", "The message is not valid CAP 1.2 (OASIS schema)", 400),
  Unsupported: createError<[string]>("BN_CAP_UNSUPPORTED", "%s", 422),
  MediaType: createError("BN_UNSUPPORTED_MEDIA_TYPE", "Send CAP as application/cap+xml or application/xml", 415),
  UnknownReference: createError<[string]>("BN_CAP_UNKNOWN_REFERENCE", "%s", 422),
};

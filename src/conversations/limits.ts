/**
 * The documented limits of the text line (issue 25), per participant and alert. A citizen's messages beyond
 * `inbound` in the window are ignored (not stored, not answered, logged): a stuck phone or a prank cannot flood the
 * operator's console. An operator's replies beyond `outbound` are refused with 429 BN_RATE_LIMITED: a slip of the
 * hand cannot flood the citizen's phone, nor run up SMS costs.
 */
export const CONVERSATION_LIMITS = {
  inbound: { messages: 10, windowSeconds: 600 },
  outbound: { messages: 5, windowSeconds: 60 },
} as const;

/**
 * Whether an alert asks "are you nearby now?" when the operator does not say (`presenceCheck` on creation). On for
 * a suspect or a vehicle: they move on within minutes, so only those there now can see them, and the operator wants
 * to know how many are looking. Off for a missing person or child: someone who saw them earlier and has left the
 * area still has a tip worth hearing in full, and for `other`, whose nature nobody knows in advance.
 */
export const PRESENCE_CHECK_BY_KIND: Record<string, boolean> = {
  suspect: true,
  vehicle: true,
  missing_person: false,
  missing_child: false,
  other: false,
};

export const presenceCheckFor = (kind: string, asked?: boolean): boolean =>
  asked ?? PRESENCE_CHECK_BY_KIND[kind] ?? false;

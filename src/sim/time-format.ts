/** Twilio's date format in JSON and callbacks: RFC 2822 with a numeric zone, e.g. "Thu, 24 Aug 2023 05:01:45 +0000". */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace("GMT", "+0000");
}

export function rfc2822OrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : rfc2822(ms);
}

/** Accepts what list filters carry: `YYYY-MM-DD` or an ISO date-time. */
export function parseFilterDate(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

export const DAY_MS = 86_400_000;

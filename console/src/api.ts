/** The public API, as any client sees it: Authorization: Bearer <key>, errors in the one JSON shape. */
const KEY = "burgernet.console.key";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const key = session.key();
  const res = await fetch(path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined && !(body instanceof Blob) ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    // A file (the photo) goes as its own bytes with its own media type.
    body: body instanceof Blob ? body : body !== undefined ? JSON.stringify(body) : undefined,
    cache: "no-store",
  });
  if (!res.ok) {
    const parsed = (await res.json().catch(() => null)) as {
      error?: { code: string; message: string; details?: unknown };
    } | null;
    const e = parsed?.error;
    // A revoked or expired key: back to the sign-in screen rather than an error under every field.
    if (res.status === 401 && key) {
      session.clear();
      window.dispatchEvent(new CustomEvent("burgernet:signed-out", { detail: e?.message }));
    }
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.details);
  }
  return res;
}

export const api = {
  get: async <T>(path: string) => (await (await request("GET", path)).json()) as T,
  post: async <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    (await (await request("POST", path, body ?? {}, headers)).json()) as T,
  blob: async (path: string) => (await request("GET", path)).blob(),
  putFile: async <T>(path: string, file: Blob) =>
    (await (await request("PUT", path, file, { "content-type": file.type || "application/octet-stream" })).json()) as T,
};

export interface Region {
  code: string;
  name: string;
  meldkamerNumber: string | null;
}

export interface RegionDetail extends Region {
  boundary: GeoJSON.Feature;
  municipalities: GeoJSON.FeatureCollection<GeoJSON.Geometry, { code: string; name: string }>;
}

export type AreaInput =
  | { type: "circle"; center: { lat: number; lon: number }; radiusMeters: number }
  | { type: "Polygon"; coordinates: [number, number][][] }
  | { type: "MultiPolygon"; coordinates: [number, number][][][] }
  | { type: "municipality"; code: string };

export interface AlertInput {
  region: string;
  kind: string;
  priority: "normal" | "urgent";
  texts?: Record<string, { voice: string; sms: string }>;
  template?: { id: string; fields: Record<string, string | number> };
  area: AreaInput;
  channels: string[];
  presenceCheck?: boolean;
}

export interface Preview {
  region: string;
  voice: number;
  sms: number;
  skipped?: Record<string, number> | number;
  quietHours: boolean;
  smsText: Record<string, { encoding: string; characters: number; segments: number; totalSegments: number }>;
  /** Participants whose language has no text in the alert: they get the Dutch one, introduced. */
  fallback?: { participants: number; byLanguage: Record<string, { participants: number }> };
  estimatedSeconds: number;
  texts?: Record<
    string,
    {
      voice: string;
      sms: string;
      smsSegments: { encoding: string; characters: number; segments: number };
      spokenSeconds: number;
    }
  >;
  /** Expected cost in euros with its basis (null: no rate for the carrier's currency). */
  cost?: { eur: number; basis: string } | null;
  /** The unit's monthly budget; null when none is set. */
  budget?: { monthlyEur: number; spentEur: number; wouldExceed: boolean; needsAdminKey: boolean } | null;
  [k: string]: unknown;
}

export interface Alert {
  id: string;
  region: string;
  kind: string;
  priority: string;
  status: string;
  texts: Record<string, { voice: string; sms: string }>;
  area: AreaInput;
  channels: string[];
  targeting: Record<string, unknown>;
  progress: Record<string, number>;
  /** Grouped by the API (src/deliveries/counts.ts): the console keeps no list of delivery statuses. */
  summary: { total: number; queued: number; atCarrier: number; reached: number; unreached: number };
  reachedWithinM: number | null;
  outcome: string | null;
  closingMessage: string | null;
  createdAt: string;
  estimatedFinishAt: string | null;
  closedAt: string | null;
  cancelledAt: string | null;
}

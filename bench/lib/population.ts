import { pc4Table } from "../../src/geo/pc4.js";
import { createRng, type Rng } from "./rng.js";

/**
 * A synthetic population shaped like the real one: every participant lives near a PC4 centroid of the shipped
 * table. Cities have many small PC4 areas, each holding more residents than a village's, so drawing PC4s with a
 * weight that grows with the number of centroids around makes cities dense and the countryside sparse. Each point
 * is spread around its centroid by a normal jitter scaled to the distance to the nearest other centroid, so that
 * neighbouring PC4s blend instead of forming dots. Rows come out in random spatial order, as registrations do.
 */
export interface PopulationSpec {
  participants: number;
  seed: number;
  /** Share with a second (work) location, open Monday–Friday 08:00–18:00. */
  workShare: number;
}

// The national register: 3 million participants (DESIGN §1), 1.7 million of them by voice and SMS in 2023.
export const DEFAULT_SPEC: PopulationSpec = { participants: 3_000_000, seed: 20250610, workShare: 0.2 };

export interface Place {
  pc4: string;
  lat: number;
  lon: number;
  /** Standard deviation of the jitter, metres. */
  sigma: number;
}

const M_PER_DEG_LAT = 111_320;
const NEIGHBOURHOOD_M = 3_000;

const memo = new Map<number, { list: Place[]; cumulative: Float64Array }>();

/** The PC4 centroids with their jitter and a cumulative weight table to draw from. */
export function places(seed: number): { list: Place[]; cumulative: Float64Array } {
  const known = memo.get(seed);
  if (known) return known;
  const pcs = [...pc4Table().values()];
  // Flat metres around the middle of the country: good to a few per cent for nearest-neighbour spacing.
  const kx = M_PER_DEG_LAT * Math.cos((52.2 * Math.PI) / 180);
  const xs = Float64Array.from(pcs, (p) => p.lon * kx);
  const ys = Float64Array.from(pcs, (p) => p.lat * M_PER_DEG_LAT);
  const rng = createRng(seed ^ 0x5eed);
  const neighbours = new Float64Array(pcs.length);
  const list: Place[] = pcs.map((p, i) => {
    let nearest = Infinity;
    for (let j = 0; j < pcs.length; j++) {
      if (j === i) continue;
      const d = (xs[i] - xs[j]) ** 2 + (ys[i] - ys[j]) ** 2;
      if (d < nearest) nearest = d;
      if (d < NEIGHBOURHOOD_M ** 2) neighbours[i]++;
    }
    return { pc4: p.pc4, lat: p.lat, lon: p.lon, sigma: Math.min(2_500, Math.max(150, Math.sqrt(nearest) * 0.45)) };
  });
  // City PC4s hold more people than village ones (Amsterdam's average ~11,000 residents, the national one ~4,400):
  // weight by the square root of the number of centroids around, times ±40% of noise.
  const cumulative = new Float64Array(list.length);
  let total = 0;
  list.forEach((_, i) => {
    total += Math.sqrt(1 + neighbours[i]) * (0.6 + 0.8 * rng.float());
    cumulative[i] = total;
  });
  for (let i = 0; i < cumulative.length; i++) cumulative[i] /= total;
  memo.set(seed, { list, cumulative });
  return { list, cumulative };
}

function draw(cumulative: Float64Array, r: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Location {
  id: string;
  kind: "home" | "work";
  pc4: string;
  lat: number;
  lon: number;
}

export interface Person {
  id: string;
  phone: string;
  phoneType: "mobile" | "fixed";
  language: "nl" | "en";
  channels: string;
  status: "active" | "unsubscribed" | "pending";
  locations: Location[];
}

function locate(rng: Rng, place: Place, kind: "home" | "work"): Location {
  const lat = place.lat + (rng.gauss() * place.sigma) / M_PER_DEG_LAT;
  const lon = place.lon + (rng.gauss() * place.sigma) / (M_PER_DEG_LAT * Math.cos((place.lat * Math.PI) / 180));
  return {
    id: rng.uuid(),
    kind,
    pc4: place.pc4,
    lat: Math.min(53.7, Math.max(50.7, Math.round(lat * 1e6) / 1e6)),
    lon: Math.min(7.3, Math.max(3.2, Math.round(lon * 1e6) / 1e6)),
  };
}

/** The same sequence for the same spec: two passes (participants, locations) can each rebuild it. */
export function* people(spec: PopulationSpec): Generator<Person> {
  const { list, cumulative } = places(spec.seed);
  const rng = createRng(spec.seed);
  for (let i = 0; i < spec.participants; i++) {
    const id = rng.uuid();
    const fixed = rng.float() < 0.1;
    const c = rng.float();
    const s = rng.float();
    const home = locate(rng, list[draw(cumulative, rng.float())], "home");
    const locations = [home];
    if (rng.float() < spec.workShare) locations.push(locate(rng, list[draw(cumulative, rng.float())], "work"));
    yield {
      id,
      // Unique by construction: the index is part of the number.
      phone: fixed ? `+3130${String(1_000_000 + i)}` : `+316${String(10_000_000 + i)}`,
      phoneType: fixed ? "fixed" : "mobile",
      language: rng.float() < 0.07 ? "en" : "nl",
      channels: fixed ? "{voice}" : c < 0.55 ? "{voice,sms}" : c < 0.85 ? "{sms}" : "{voice}",
      status: s < 0.97 ? "active" : s < 0.99 ? "unsubscribed" : "pending",
      locations,
    };
  }
}

const WORK_WINDOW = "31\t08:00\t18:00";
const ALWAYS = "\\N\t\\N\t\\N";

/**
 * COPY text for both tables from one pass over the population, in chunks of about `rowsPerChunk` participants:
 * participants (id, phone, phone_type, language, channels, status, verified_at) and their locations
 * (id, participant_id, kind, postcode, lat, lon, source, window_days, window_from, window_to, and the copy of
 * the participant's active / voice / sms / phone / language that sql/008's trigger would write).
 */
export function* copyChunks(
  spec: PopulationSpec,
  rowsPerChunk = 2_000,
): Generator<{ participants: Buffer; locations: Buffer }> {
  let ps = "";
  let ls = "";
  let rows = 0;
  for (const p of people(spec)) {
    const verified = p.status === "pending" ? "\\N" : "2025-01-01 00:00:00+00";
    const reach = [
      p.status === "active",
      p.channels.includes("voice"),
      p.channels.includes("sms") && p.phoneType === "mobile",
    ]
      .map((b) => (b ? "t" : "f"))
      .join("\t");
    ps += `${p.id}\t${p.phone}\t${p.phoneType}\t${p.language}\t${p.channels}\t${p.status}\t${verified}\n`;
    for (const l of p.locations) {
      ls += `${l.id}\t${p.id}\t${l.kind}\t${l.pc4}\t${l.lat}\t${l.lon}\texact\t${l.kind === "work" ? WORK_WINDOW : ALWAYS}\t${reach}\t${p.phone}\t${p.language}\n`;
    }
    // Small chunks of one flat string each: far less garbage-collector work than an array of lines.
    if (++rows === rowsPerChunk) {
      yield { participants: Buffer.from(ps, "latin1"), locations: Buffer.from(ls, "latin1") };
      ps = ls = "";
      rows = 0;
    }
  }
  if (rows) yield { participants: Buffer.from(ps, "latin1"), locations: Buffer.from(ls, "latin1") };
}

export const PARTICIPANT_COLUMNS = "(id, phone, phone_type, language, channels, status, verified_at)";
export const LOCATION_COLUMNS =
  "(id, participant_id, kind, postcode, lat, lon, source, window_days, window_from, window_to, active, voice, sms, phone, language)";

/**
 * Two streams fed by one generator of pairs, for two COPYs running side by side. The faster consumer waits when
 * it is more than `maxAhead` chunks ahead of the slower one, so memory stays bounded.
 */
export function splitPairs<A, B>(
  source: Iterator<{ participants: A; locations: B }>,
  maxAhead = 64,
): [AsyncIterable<A>, AsyncIterable<B>] {
  const queues: [A[], B[]] = [[], []];
  let done = false;
  let wakeProducer: (() => void) | undefined;
  function stream<T>(mine: 0 | 1): AsyncIterable<T> {
    const other = mine === 0 ? 1 : 0;
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const q = queues[mine] as unknown as T[];
          if (q.length) {
            yield q.shift()!;
            wakeProducer?.();
            continue;
          }
          if (done) return;
          while (queues[other].length >= maxAhead) await new Promise<void>((r) => (wakeProducer = r));
          const next = source.next();
          if (next.done) {
            done = true;
            continue;
          }
          queues[0].push(next.value.participants);
          queues[1].push(next.value.locations);
        }
      },
    };
  }
  return [stream<A>(0), stream<B>(1)];
}

/** A moment when work windows are open and it is not night: Tuesday 10 June 2025, 11:00 in Amsterdam. */
export const TARGETING_AT = new Date("2025-06-10T09:00:00Z");

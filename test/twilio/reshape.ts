/**
 * Reshapes of a captured Twilio request that keep its signature valid: Twilio signs the URL followed by each
 * name and value (sorted by name) with nothing between them, so any request whose URL and sorted pairs spell the
 * same string carries the same signature. These are what an attacker holding one signed request can send.
 */
export type Pair = [string, string];

export interface Shape {
  kind: string;
  path: string;
  pairs: Pair[];
}

/** What Twilio signs, minus the public origin. */
export function spelled(path: string, pairs: Pair[]): string {
  return path + pairs.map(([n, v]) => n + v).join("");
}

/** Sorted as Twilio sorts names; a reshape whose pairs are out of order no longer spells the same string. */
export function isSorted(pairs: Pair[]): boolean {
  return pairs.every((p, i) => i === 0 || pairs[i - 1][0] <= p[0]);
}

/** A small deterministic generator (mulberry32): the same reshapes on every run. */
export function random(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

type Reshaper = (path: string, pairs: Pair[], i: number, k: number) => Shape | null;

const copy = (pairs: Pair[]): Pair[] => pairs.map(([n, v]) => [n, v]);

/** Every way of moving characters across one boundary of the signed string, or of running two pairs together. */
export const RESHAPERS: Record<string, Reshaper> = {
  "name end to value": (path, pairs, i, k) => {
    const p = copy(pairs);
    if (p[i][0].length <= k) return null;
    p[i] = [p[i][0].slice(0, -k), p[i][0].slice(-k) + p[i][1]];
    return { kind: "name end to value", path, pairs: p };
  },
  "value start to name": (path, pairs, i, k) => {
    const p = copy(pairs);
    if (p[i][1].length < k) return null;
    p[i] = [p[i][0] + p[i][1].slice(0, k), p[i][1].slice(k)];
    return { kind: "value start to name", path, pairs: p };
  },
  "value end to next name": (path, pairs, i, k) => {
    const p = copy(pairs);
    if (i + 1 >= p.length || p[i][1].length < k) return null;
    p[i + 1] = [p[i][1].slice(p[i][1].length - k) + p[i + 1][0], p[i + 1][1]];
    p[i] = [p[i][0], p[i][1].slice(0, p[i][1].length - k)];
    return { kind: "value end to next name", path, pairs: p };
  },
  "next name start to value": (path, pairs, i, k) => {
    const p = copy(pairs);
    if (i + 1 >= p.length || p[i + 1][0].length <= k) return null;
    p[i] = [p[i][0], p[i][1] + p[i + 1][0].slice(0, k)];
    p[i + 1] = [p[i + 1][0].slice(k), p[i + 1][1]];
    return { kind: "next name start to value", path, pairs: p };
  },
  "URL end to first name": (path, pairs, _i, k) => {
    if (path.length - k < "/twilio/".length) return null;
    const p = copy(pairs);
    p[0] = [path.slice(-k) + p[0][0], p[0][1]];
    return { kind: "URL end to first name", path: path.slice(0, -k), pairs: p };
  },
  "first name start to URL": (path, pairs, _i, k) => {
    const p = copy(pairs);
    if (p[0][0].length <= k) return null;
    const moved = p[0][0].slice(0, k);
    p[0] = [p[0][0].slice(k), p[0][1]];
    return { kind: "first name start to URL", path: path + moved, pairs: p };
  },
  "next pair run into this value": (path, pairs, i) => {
    if (i + 1 >= pairs.length) return null;
    const p = copy(pairs);
    p[i] = [p[i][0], p[i][1] + p[i + 1][0] + p[i + 1][1]];
    p.splice(i + 1, 1);
    return { kind: "next pair run into this value", path, pairs: p };
  },
};

/** `count` reshapes of a request, each spelling the same signed string, of every kind in turn. */
export function reshapes(path: string, params: Record<string, string>, count: number, seed: number): Shape[] {
  const pairs = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) as Pair[];
  const original = spelled(path, pairs);
  const next = random(seed);
  const kinds = Object.values(RESHAPERS);
  const out: Shape[] = [];
  // Round after round, one try of each kind: a kind that rarely keeps the order (a character moved to the front
  // of a name) still gets its turns.
  for (let round = 0; out.length < count && round < count * 20; round++) {
    for (const reshape of kinds) {
      const shape = reshape(path, pairs, next(pairs.length), 1 + next(4));
      if (!shape || !isSorted(shape.pairs) || spelled(shape.path, shape.pairs) !== original) continue;
      if (shape.pairs.some(([n]) => n === "") || out.length >= count) continue;
      out.push(shape);
    }
  }
  return out;
}

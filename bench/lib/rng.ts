const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const hex4 = (n: number) => HEX[n >>> 24] + HEX[(n >>> 16) & 0xff] + HEX[(n >>> 8) & 0xff] + HEX[n & 0xff];

/** A small seeded generator (a Weyl sequence through a 32-bit mixer): the same seed gives the same population. */
export function createRng(seed: number) {
  // In a typed array: a closure variable holding values above 2^30 would allocate a heap number per call.
  const state = new Uint32Array([seed >>> 0]);
  const next = () => {
    state[0] += 0x9e3779b9;
    let z = state[0];
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let spare: number | undefined;
  return {
    /** Uniform in [0, 1). */
    float: () => next() / 4294967296,
    uint32: next,
    /** Standard normal (Box–Muller, the second value kept for the next call). */
    gauss(): number {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      const u = (next() + 1) / 4294967297;
      const v = next() / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    /** A version-4-shaped UUID from the stream, so that a second pass can rebuild the same ids. */
    uuid(): string {
      const a = next();
      const b = next();
      const c = next();
      const d = next();
      // Version 4 in the high nibble of the third group, variant 10xx in the fourth.
      const b2 = ((b & 0x0fff) | 0x4000) >>> 0;
      const c1 = ((c >>> 16) & 0x3fff) | 0x8000;
      return `${hex4(a)}-${HEX[b >>> 24]}${HEX[(b >>> 16) & 0xff]}-${HEX[b2 >>> 8]}${HEX[b2 & 0xff]}-${HEX[c1 >>> 8]}${HEX[c1 & 0xff]}-${HEX[(c >>> 8) & 0xff]}${HEX[c & 0xff]}${hex4(d)}`;
    },
  };
}

export type Rng = ReturnType<typeof createRng>;

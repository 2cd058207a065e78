const MAX_ENTRIES = 50_000;
const MAX_LENGTH = 4096;
const strings = new Map<string, string>();
const lists = new Map<string, readonly string[]>();

/**
 * One copy of strings that repeat across thousands of calls (caller ID, URLs, the alert's spoken text),
 * so that a 100,000-call run keeps one string instead of 100,000. Bounded: it forgets everything when full.
 */
export function intern<T extends string | undefined>(s: T): T {
  if (s === undefined || s.length > MAX_LENGTH) return s;
  const hit = strings.get(s);
  if (hit !== undefined) return hit as T;
  if (strings.size >= MAX_ENTRIES) strings.clear();
  strings.set(s, s);
  return s;
}

export function internList(values: readonly string[]): readonly string[] {
  const key = values.join("\n");
  const hit = lists.get(key);
  if (hit) return hit;
  if (lists.size >= 1000) lists.clear();
  const frozen = Object.freeze(values.map((v) => intern(v)));
  lists.set(key, frozen);
  return frozen;
}

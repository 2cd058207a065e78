/** Weekly windows: `{ days: ["mon", …], from: "08:00", to: "18:00" }` ↔ a weekday bitmask and two times. */
export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Day = (typeof DAYS)[number];

export interface WeeklyWindow {
  days: Day[];
  from: string;
  to: string;
}

export interface StoredWindow {
  window_days: number | null;
  window_from: string | null;
  window_to: string | null;
}

export function toStored(w: WeeklyWindow | null | undefined): StoredWindow {
  if (!w) return { window_days: null, window_from: null, window_to: null };
  const mask = w.days.reduce((m, d) => m | (1 << DAYS.indexOf(d)), 0);
  return { window_days: mask, window_from: w.from, window_to: w.to };
}

export function fromStored(s: StoredWindow): WeeklyWindow | null {
  if (s.window_days === null) return null;
  return {
    days: DAYS.filter((_, i) => (s.window_days! & (1 << i)) !== 0),
    from: s.window_from!.slice(0, 5),
    to: s.window_to!.slice(0, 5),
  };
}

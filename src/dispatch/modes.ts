/**
 * The dispatcher's life cycle, each change checked (as graphile-worker's LocalQueue names its modes):
 *
 *   idle ──start──▶ warming ──warmed──▶ running ──stop──▶ stopping ──drained──▶ stopped
 *     └─────────────stop (nothing to drain)───────────────────────────────────────▶┘
 *   warming ──stop──▶ stopping;  stopped ──start──▶ warming
 *
 * warming: the carrier client's modules load and the pace's clock is calibrated; housekeeping already runs, the
 * channel loops not yet. running: deliveries are held, taken and sent. stopping: nothing new is taken; what was
 * held goes back in line, what was taken and not sent is put back, requests in flight are awaited.
 */
export type DispatcherMode = "idle" | "warming" | "running" | "stopping" | "stopped";

const NEXT: Record<DispatcherMode, readonly DispatcherMode[]> = {
  idle: ["warming", "stopped"],
  warming: ["running", "stopping"],
  running: ["stopping"],
  stopping: ["stopped"],
  stopped: ["warming"],
};

export function createModes(onChange?: (from: DispatcherMode, to: DispatcherMode) => void) {
  let mode: DispatcherMode = "idle";
  return {
    get current() {
      return mode;
    },
    /** Takes and sends may go on: warming or running (the loops end when this turns false). */
    get live() {
      return mode === "warming" || mode === "running";
    },
    /** Changes mode; a change the life cycle does not have is a bug and throws. */
    to(next: DispatcherMode) {
      if (!NEXT[mode].includes(next)) throw new Error(`dispatcher: no change of mode from ${mode} to ${next}`);
      onChange?.(mode, next);
      mode = next;
    },
  };
}
export type Modes = ReturnType<typeof createModes>;

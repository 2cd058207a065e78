/** Sleeps that stopping always ends (`wakeAll`), and that `wake` ends early when they are idle polls. */
export function createSleeper() {
  const sleepers = new Set<() => void>();
  const idle = new Set<() => void>();
  return {
    sleep(ms: number, wakeable = false) {
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          sleepers.delete(done);
          idle.delete(done);
          resolve();
        };
        const t = setTimeout(done, Math.max(0, ms));
        sleepers.add(done);
        if (wakeable) idle.add(done);
      });
    },
    /** Work may be waiting: idle polls look now. */
    wake: () => [...idle].forEach((done) => done()),
    wakeAll: () => [...sleepers].forEach((done) => done()),
  };
}

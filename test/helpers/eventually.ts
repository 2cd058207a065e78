/** Re-checks an async condition until it holds (a wait on state, not a timed assertion). */
export async function eventually<T>(
  check: () => Promise<T | false | null | undefined>,
  { timeoutMs = 20_000, everyMs = 20, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

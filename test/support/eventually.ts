// Changes between cities travel asynchronously (the outbox): the other city
// knows within milliseconds, not within the request. A test that reads what
// another city learnt reads again until it has arrived or a deadline passes,
// never after a fixed sleep.

export interface EventuallyOptions {
  /** How long to keep reading. @default 10000 */
  timeoutMs?: number;
  /** Pause between reads. @default 50 */
  intervalMs?: number;
}

/**
 * Reads until `done` holds for what was read, or the deadline passes; returns
 * the last value read either way, so the caller's expectation shows what was
 * there instead of a bare timeout.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 50 }: EventuallyOptions = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let value = await read();
  while (!done(value) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}

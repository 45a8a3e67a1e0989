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

/** Runs `check` until it passes (does not throw) or `timeoutMs` passes; then its last failure is thrown. */
export async function within<T>(timeoutMs: number, check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** What `converged` needs of a running network. */
interface CityProcesses {
  cities: ReadonlyMap<string, { url: string }>;
}

/**
 * Waits until every city has compared its shared assignments with every other
 * city at least once and has no change left undelivered: the home cities then
 * hold the costs the receiving cities reported (the demo data's costs are
 * written in the receiving cities only, and reach the home cities through the
 * first consistency check's repairs, a few seconds after start).
 */
export async function converged(network: CityProcesses, { timeoutMs = 30_000 } = {}): Promise<void> {
  const codes = [...network.cities.keys()];
  const state = async () =>
    Promise.all(
      codes.map(async (code) => {
        const text = await (await fetch(`${network.cities.get(code)!.url}/metrics`)).text();
        const compared = codes.filter(
          (other) =>
            other !== code &&
            new RegExp(`^city_consistency_differences\\{counterparty="${other}"`, 'm').test(text),
        );
        const pending = [...text.matchAll(/^city_outbox_pending\{[^}]*\} (\d+)/gm)].reduce(
          (sum, match) => sum + Number(match[1]),
          0,
        );
        return { code, compared: compared.length === codes.length - 1, pending };
      }),
    );
  const last = await eventually(state, (cities) => cities.every((c) => c.compared && c.pending === 0), {
    timeoutMs,
    intervalMs: 200,
  });
  if (!last.every((c) => c.compared && c.pending === 0))
    throw new Error(`The cities did not converge within ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

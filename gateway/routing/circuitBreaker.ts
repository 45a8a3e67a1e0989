// A circuit per city: a city that times out costs its timeout once, one that
// refuses connections fails a few times (at once, so it costs little), then
// calls fail fast; after a cool-down one probe may pass, and a success closes
// the circuit again, so a city rejoins without restarting the gateway.
// Hand-written: three states and two numbers, shared by both roles' data sources.

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 3 */
  failureThreshold: number;
  /** How long an open circuit fails fast before one probe is let through. @default 5000 */
  cooldownMs: number;
  /** The clock (tests pass their own). @default Date.now */
  now?: () => number;
}

type CircuitState = 'closed' | 'open' | 'half-open';

interface Circuit {
  failures: number;
  openedAt: number | null;
  probing: boolean;
}

export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  private circuit(city: string): Circuit {
    let circuit = this.circuits.get(city);
    if (!circuit) this.circuits.set(city, (circuit = { failures: 0, openedAt: null, probing: false }));
    return circuit;
  }

  state(city: string): CircuitState {
    const circuit = this.circuit(city);
    if (circuit.openedAt === null) return 'closed';
    return this.now() - circuit.openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call to `city` may go out now; in half-open, only one probe at a time. */
  allow(city: string): boolean {
    const state = this.state(city);
    if (state === 'closed') return true;
    if (state === 'open') return false;
    const circuit = this.circuit(city);
    if (circuit.probing) return false;
    circuit.probing = true;
    return true;
  }

  succeeded(city: string): void {
    this.circuits.set(city, { failures: 0, openedAt: null, probing: false });
  }

  /** A call failed; a timeout opens the circuit at once, other failures count to the threshold. */
  failed(city: string, { timedOut = false }: { timedOut?: boolean } = {}): void {
    const circuit = this.circuit(city);
    circuit.failures += 1;
    circuit.probing = false;
    if (timedOut || circuit.openedAt !== null || circuit.failures >= this.options.failureThreshold)
      circuit.openedAt = this.now();
  }

  /** A call let through ended neither way (the gateway's own error): the next may probe. */
  abandoned(city: string): void {
    this.circuit(city).probing = false;
  }
}

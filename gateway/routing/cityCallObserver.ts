// What the gateway records of each city call: its latency and outcome as a
// metric, and the city's circuit as a gauge and, when it changes, one log line.
import type { Logger } from '../../runtime/logger';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { GatewayMetrics } from '../metrics';
import type { CircuitBreaker } from './circuitBreaker';
import type { ObserveCityCall } from './cityCalls';

export interface CityCallObserverOptions {
  /** The breaker the data sources consult, read after each call. */
  breaker: CircuitBreaker;
  /** Where the call's latency and outcome and the circuit's state go. */
  metrics: Pick<GatewayMetrics, 'observeCityCall' | 'setCircuit'>;
  /** Told when a city's circuit opens (warn) or closes again (info). */
  log: Logger;
}

export function cityCallObserver(options: CityCallObserverOptions): ObserveCityCall {
  const { breaker, metrics, log } = options;
  // Last circuit state seen per city, so a change is logged once.
  const open = new Map<MunicipalityCode, boolean>();
  return (municipality, role, outcome, seconds) => {
    metrics.observeCityCall(municipality, role, outcome, seconds);
    const isOpen = breaker.state(municipality) !== 'closed';
    metrics.setCircuit(municipality, isOpen);
    if (isOpen === (open.get(municipality) ?? false)) return;
    open.set(municipality, isOpen);
    log[isOpen ? 'warn' : 'info']({ municipality, circuit: isOpen ? 'open' : 'closed' }, 'circuit changed');
  };
}

// The circuit per city: closed, open after repeated failures, one probe after
// the cool-down, closed again on success; each change logged once.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../gateway/routing/circuitBreaker';
import { cityCallObserver } from '../../gateway/routing/cityCallObserver';
import type { Logger } from '../../runtime/logger';

function breaker() {
  let now = 0;
  const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now });
  return { b, advance: (ms: number) => (now += ms) };
}

describe('the circuit breaker', () => {
  it('stays closed below the threshold and opens at it', () => {
    const { b } = breaker();
    b.failed('1480');
    b.failed('1480');
    expect([b.state('1480'), b.allow('1480')]).toEqual(['closed', true]);
    b.failed('1480');
    expect([b.state('1480'), b.allow('1480')]).toEqual(['open', false]);
    expect(b.allow('0180')).toBe(true);
  });

  it('lets one probe through after the cool-down and closes on its success', () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.failed('1480');
    advance(999);
    expect(b.allow('1480')).toBe(false);
    advance(1);
    expect(b.state('1480')).toBe('half-open');
    expect(b.allow('1480')).toBe(true);
    expect(b.allow('1480')).toBe(false);
    b.succeeded('1480');
    expect([b.state('1480'), b.allow('1480')]).toEqual(['closed', true]);
  });

  it('opens again at once when the probe fails', () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.failed('1480');
    advance(1000);
    expect(b.allow('1480')).toBe(true);
    b.failed('1480');
    expect([b.state('1480'), b.allow('1480')]).toEqual(['open', false]);
  });

  it('forgets earlier failures after a success', () => {
    const { b } = breaker();
    b.failed('1480');
    b.failed('1480');
    b.succeeded('1480');
    b.failed('1480');
    b.failed('1480');
    expect(b.state('1480')).toBe('closed');
  });

  it('opens at once on a timeout: a hung city costs its timeout once', () => {
    const { b } = breaker();
    b.failed('1280', { timedOut: true });
    expect([b.state('1280'), b.allow('1280')]).toEqual(['open', false]);
  });

  it('lets the next probe through when one ends without a verdict', () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.failed('1480');
    advance(1000);
    expect(b.allow('1480')).toBe(true);
    expect(b.allow('1480')).toBe(false);
    b.abandoned('1480');
    expect(b.allow('1480')).toBe(true);
  });
});

describe('what the gateway records of city calls', () => {
  function observed() {
    const { b, advance } = breaker();
    const lines: [string, unknown][] = [];
    const calls: unknown[][] = [];
    const circuits: [string, boolean][] = [];
    const log = {
      warn: (fields: unknown) => void lines.push(['warn', fields]),
      info: (fields: unknown) => void lines.push(['info', fields]),
    } as unknown as Logger;
    const observe = cityCallObserver({
      breaker: b,
      metrics: {
        observeCityCall: (...call) => void calls.push(call),
        setCircuit: (municipality, open) => void circuits.push([municipality, open]),
      },
      log,
    });
    return { b, advance, observe, lines, calls, circuits };
  }

  it('counts every call and logs a circuit only when it opens or closes', () => {
    const { b, advance, observe, lines, calls, circuits } = observed();
    observe('1480', 'casework', 'ok', 0.01);
    for (let i = 0; i < 3; i++) {
      b.failed('1480');
      observe('1480', 'casework', 'unavailable', 0.2);
    }
    observe('1480', 'execution', 'circuit_open', 0);
    advance(1000);
    b.succeeded('1480');
    observe('1480', 'execution', 'ok', 0.02);

    expect(calls).toHaveLength(6);
    expect(calls[4]).toEqual(['1480', 'execution', 'circuit_open', 0]);
    expect(circuits.map(([, open]) => open)).toEqual([false, false, false, true, true, false]);
    expect(lines).toEqual([
      ['warn', { municipality: '1480', circuit: 'open' }],
      ['info', { municipality: '1480', circuit: 'closed' }],
    ]);
  });
});

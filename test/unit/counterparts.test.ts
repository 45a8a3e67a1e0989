// The counterparts of a municipality: read from its city's answer, the last
// answer kept per municipality so the next list need not wait for it.
import { describe, expect, it } from 'vitest';
import { counterpartsIn, rememberedCounterparts } from '../../gateway/routing/counterparts';

describe('counterparts', () => {
  it("are read from the caller's city's answer", () => {
    expect(counterpartsIn({ __counterparts: ['1280', '1480'] })).toEqual(new Set(['1280', '1480']));
    expect(counterpartsIn({ __counterparts: [] })).toEqual(new Set());
  });

  it('are unknown when the city could not say', () => {
    expect(counterpartsIn({ __counterparts: null })).toBeNull();
    expect(counterpartsIn({ assignments: {} })).toBeNull();
    expect(counterpartsIn(null)).toBeNull();
    expect(counterpartsIn({ __counterparts: { not: 'a list' } })).toBeNull();
  });

  it('are remembered per municipality, each answer replacing the last', () => {
    const remembered = rememberedCounterparts();
    expect(remembered.lastKnown('0180')).toBeUndefined();
    remembered.remember('0180', new Set(['1280']));
    expect(remembered.lastKnown('0180')).toEqual(new Set(['1280']));
    expect(remembered.lastKnown('1480')).toBeUndefined();
    remembered.remember('0180', new Set());
    expect(remembered.lastKnown('0180')).toEqual(new Set());
  });

  it('keep at most the configured number of municipalities', () => {
    const remembered = rememberedCounterparts({ remembered: 2 });
    for (const code of ['0180', '1480', '1280']) remembered.remember(code, new Set([code]));
    expect(remembered.lastKnown('0180')).toBeUndefined();
    expect(remembered.lastKnown('1280')).toEqual(new Set(['1280']));
  });
});

import { describe, expect, it } from 'vitest';
import { changesOnTheirWay, pendingReloadDelayMs } from '../../src/domain/pending';

describe('an assignment with changes on their way between the cities', () => {
  it('is one where either party still waits for the other', () => {
    expect(changesOnTheirWay({ pendingAtReceiving: null, pendingAtHome: null })).toBe(false);
    expect(changesOnTheirWay({ pendingAtReceiving: { count: 0 }, pendingAtHome: undefined })).toBe(false);
    expect(changesOnTheirWay({ pendingAtReceiving: { count: 2 }, pendingAtHome: null })).toBe(true);
    expect(changesOnTheirWay({ pendingAtReceiving: null, pendingAtHome: { count: 1 } })).toBe(true);
  });

  it('is asked about again soon, then less often, never less than twice a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(pendingReloadDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

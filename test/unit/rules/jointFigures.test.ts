// Rule 10: with one or two people a year per direction, a pair's figures
// identify a person. In full only to the pair's two parties; anyone else sees
// cells counting at least the agreement's minimum, smaller ones suppressed.
import { describe, expect, it } from 'vitest';
import { AGREEMENTS } from '../../../schema/contract/agreements';
import { seesPairInFull, showCell } from '../../../subgraphs/agreement/rules';
import { GOTEBORG, MALMO, STOCKHOLM, TERM_2023 } from './fixtures';

describe('seesPairInFull', () => {
  const pair = { home: STOCKHOLM, receiving: MALMO };

  it('is the pair’s two parties, either way round', () => {
    expect(seesPairInFull(STOCKHOLM, pair)).toBe(true);
    expect(seesPairInFull(MALMO, pair)).toBe(true);
    expect(seesPairInFull(STOCKHOLM, { home: MALMO, receiving: STOCKHOLM })).toBe(true);
  });

  it('is nobody else, though a party to the same agreement', () => {
    expect(seesPairInFull(GOTEBORG, pair)).toBe(false);
    expect(seesPairInFull('0380', pair)).toBe(false);
  });
});

describe('showCell', () => {
  const MINIMUM = TERM_2023.minimumCellCount;

  it('shows a cell that counts exactly the minimum', () => {
    expect(MINIMUM).toBe(5);
    expect(showCell({ people: 5, value: '61200.00' }, MINIMUM)).toEqual({
      suppressed: false,
      value: '61200.00',
    });
  });

  it('shows a cell above the minimum', () => {
    expect(showCell({ people: 12, value: 3 }, MINIMUM)).toEqual({ suppressed: false, value: 3 });
  });

  it('suppresses a cell one below the minimum, marking it rather than leaving it out', () => {
    expect(showCell({ people: 4, value: '48000.00' }, MINIMUM)).toEqual({ suppressed: true, value: null });
  });

  it('suppresses the pilot’s one or two people a year, whatever the value', () => {
    for (const people of [1, 2]) {
      expect(showCell({ people, value: 0 }, MINIMUM)).toEqual({ suppressed: true, value: null });
      expect(showCell({ people, value: '3000.00' }, MINIMUM)).toEqual({ suppressed: true, value: null });
    }
  });

  it('follows the agreement’s minimum', () => {
    expect(showCell({ people: 3, value: 'x' }, 3)).toEqual({ suppressed: false, value: 'x' });
    expect(showCell({ people: 3, value: 'x' }, 4)).toEqual({ suppressed: true, value: null });
    expect(AGREEMENTS[0]!.minimumCellCount).toBe(5);
  });
});

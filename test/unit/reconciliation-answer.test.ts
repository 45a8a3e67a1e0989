// The other city's answer to "what did you bear for our assignments" feeds
// the equalisation payment: it is taken only when it is figures.
import { describe, expect, it } from 'vitest';
import { borneFrom } from '../../subgraphs/roles/execution/reconciliation';

describe('the costs another city says it bore', () => {
  it('are taken when they are three amounts of whole öre, the net the gross less what was reimbursed', () => {
    const borne = { gross: '1200.00', reimbursed: '200.00', net: '1000.00' };
    expect(borneFrom(borne)).toEqual(borne);
    expect(borneFrom({ ...borne, padding: 'x' })).toEqual(borne);
  });

  it('are no answer when they are not figures, do not add up, or are negative', () => {
    expect(borneFrom(null)).toBeNull();
    expect(borneFrom({ gross: 1200, reimbursed: 0, net: 1200 })).toBeNull();
    expect(borneFrom({ gross: '1200', reimbursed: '0.00', net: '1200.00' })).toBeNull();
    expect(borneFrom({ gross: '1200.00', reimbursed: '0.00', net: '9999999.00' })).toBeNull();
    expect(borneFrom({ gross: '100.00', reimbursed: '300.00', net: '-200.00' })).toBeNull();
  });
});

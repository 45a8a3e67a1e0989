// The other city's answer to "what did you bear for our assignments, and what
// do you hold of ours" is compared with the holder's own figures: it counts as
// an answer only when it is figures, both of them.
import { describe, expect, it } from 'vitest';
import { borneFrom, costsBorneAnswerFrom } from '../../subgraphs/roles/execution/reconciliation';

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

describe('the answer a pair member gives', () => {
  const borne = { gross: '1200.00', reimbursed: '200.00', net: '1000.00' };
  const reported = { gross: '500.00', reimbursed: '0.00', net: '500.00' };

  it('is its own figures and what it holds of the asker’s reports', () => {
    expect(costsBorneAnswerFrom({ ...borne, reported })).toEqual({ ...borne, reported });
  });

  it('is no answer without both, each as figures', () => {
    expect(costsBorneAnswerFrom(borne)).toBeNull();
    expect(costsBorneAnswerFrom({ ...borne, reported: { ...reported, net: '1.00' } })).toBeNull();
    expect(costsBorneAnswerFrom({ gross: 'lots', reported })).toBeNull();
    expect(costsBorneAnswerFrom(null)).toBeNull();
  });
});

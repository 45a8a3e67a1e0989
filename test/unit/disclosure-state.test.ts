// Rule 4: whether a basis for disclosing to a municipality is in force today, and why not.
import { describe, expect, it } from 'vitest';
import { disclosureState } from '../../subgraphs/agreement/disclosure';

const basis = (
  over: Partial<{
    recipientMunicipality: string;
    validFrom: Date;
    validTo: Date | null;
    withdrawnAt: Date | null;
  }>,
) => ({
  recipientMunicipality: '1280',
  validFrom: new Date('2023-01-01T00:00:00.000Z'),
  validTo: null,
  withdrawnAt: null,
  ...over,
});

describe('the basis for disclosure', () => {
  it('is in force from its first day, open-ended or until its last day', () => {
    expect(disclosureState([basis({})], '1280', '2023-01-01')).toEqual({ basisInForce: true, lapse: null });
    expect(
      disclosureState([basis({ validTo: new Date('2023-06-30T00:00:00.000Z') })], '1280', '2023-06-30'),
    ).toEqual({
      basisInForce: true,
      lapse: null,
    });
  });

  it('has lapsed the day after it ended, or before it began', () => {
    expect(
      disclosureState([basis({ validTo: new Date('2023-06-30T00:00:00.000Z') })], '1280', '2023-07-01'),
    ).toEqual({
      basisInForce: false,
      lapse: 'EXPIRED',
    });
    expect(disclosureState([basis({})], '1280', '2022-12-31')).toEqual({
      basisInForce: false,
      lapse: 'EXPIRED',
    });
  });

  it('stops the day it is withdrawn (Europe/Stockholm)', () => {
    // 23:30 UTC on 9 March is 00:30 on 10 March in Stockholm.
    const withdrawn = basis({ withdrawnAt: new Date('2023-03-09T23:30:00.000Z') });
    expect(disclosureState([withdrawn], '1280', '2023-03-09')).toEqual({ basisInForce: true, lapse: null });
    expect(disclosureState([withdrawn], '1280', '2023-03-10')).toEqual({
      basisInForce: false,
      lapse: 'WITHDRAWN',
    });
  });

  it('counts only a basis for that municipality', () => {
    expect(disclosureState([basis({ recipientMunicipality: '1480' })], '1280', '2023-05-01')).toEqual({
      basisInForce: false,
      lapse: 'MISSING',
    });
    expect(disclosureState([], '1280', '2023-05-01')).toEqual({ basisInForce: false, lapse: 'MISSING' });
  });
});

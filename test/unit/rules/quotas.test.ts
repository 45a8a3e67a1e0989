// Rule 9: assignments to and from each party as equal as possible. A quota is
// an aim (målsättningen: going beyond it needs a stated reason) or a limit
// (refused beyond it), with a figure for every party or some parties apart.
import { describe, expect, it } from 'vitest';
import { AGREEMENTS, aim, limit, type Quota } from '../../../schema/contract/agreements';
import {
  ASSIGNMENT_STATUSES,
  beyondQuota,
  checkProposal,
  checkQuota,
  checkRespond,
  countsAgainstReceivingQuota,
  receivingStatus,
  type AssignmentStatus,
  type ProposalFacts,
  type QuotaFacts,
  type ResponseDecision,
} from '../../../subgraphs/agreement/rules';
import { GOTEBORG, MALMO, STOCKHOLM, TERM_2023, UPPSALA } from './fixtures';
import { ruleCase } from './ruleCase';

function quota(overrides: Partial<QuotaFacts> = {}): QuotaFacts {
  return {
    direction: 'sending',
    quota: limit(1),
    municipality: STOCKHOLM,
    used: 0,
    beyondAimReason: null,
    ...overrides,
  };
}

const perParty = (base: Quota, figures: Record<string, number>): Quota => ({ ...base, perParty: figures });

describe('the pilot agreement', () => {
  it('sets aims of one sent and one received, not limits ("målsättningen är att ... högst ett")', () => {
    expect(AGREEMENTS[0]!.sendingQuota).toEqual({ kind: 'AIM', max: 1, perParty: {} });
    expect(AGREEMENTS[0]!.receivingQuota).toEqual({ kind: 'AIM', max: 1, perParty: {} });
  });
});

describe('checkQuota: a limit', () => {
  ruleCase(
    'SENDING_QUOTA_EXCEEDED',
    ['Stockholm has sent its one assignment', () => checkQuota(quota({ used: 1 }))],
    ['it has sent none', () => checkQuota(quota({ used: 0 }))],
  );
  ruleCase(
    'RECEIVING_QUOTA_EXCEEDED',
    [
      'Malmö has accepted two of two',
      () => checkQuota(quota({ direction: 'receiving', quota: limit(2), municipality: MALMO, used: 2 })),
    ],
    [
      'it has accepted one of two',
      () => checkQuota(quota({ direction: 'receiving', quota: limit(2), municipality: MALMO, used: 1 })),
    ],
  );

  it('is not lifted by a stated reason', () => {
    expect(checkQuota(quota({ used: 1, beyondAimReason: 'The threat is acute.' }))).toBreakOnly([
      'SENDING_QUOTA_EXCEEDED',
    ]);
  });

  it('says who has used how much of what', () => {
    expect(checkQuota(quota({ used: 3, quota: limit(3) }))[0]!.message).toBe(
      '0180 has already sent 3 of the 3 assignments the agreement allows in this term.',
    );
    expect(checkQuota(quota({ direction: 'receiving', municipality: MALMO, used: 1 }))[0]!.message).toBe(
      '1280 has already accepted 1 of the 1 assignments the agreement allows in this term.',
    );
  });
});

describe('checkQuota: an aim', () => {
  ruleCase(
    'BEYOND_AIM_REASON_MISSING',
    [
      'Stockholm sends a second assignment without a reason',
      () => checkQuota(quota({ quota: aim(1), used: 1 })),
    ],
    [
      'it says why',
      () => checkQuota(quota({ quota: aim(1), used: 1, beyondAimReason: 'No other city can offer KRAMI.' })),
    ],
  );
  ruleCase(
    'BEYOND_AIM_REASON_MISSING',
    [
      'Malmö accepts beyond its aim with a blank reason',
      () =>
        checkQuota(
          quota({
            direction: 'receiving',
            municipality: MALMO,
            quota: aim(1),
            used: 1,
            beyondAimReason: '  ',
          }),
        ),
    ],
    [
      'it accepts within its aim, where no reason is needed',
      () => checkQuota(quota({ direction: 'receiving', municipality: MALMO, quota: aim(1), used: 0 })),
    ],
  );

  it('is reported, never refused as exceeded, however far beyond', () => {
    for (const direction of ['sending', 'receiving'] as const) {
      expect(checkQuota(quota({ direction, quota: aim(1), used: 7 }))).toBreakOnly([
        'BEYOND_AIM_REASON_MISSING',
      ]);
      expect(
        checkQuota(quota({ direction, quota: aim(1), used: 7, beyondAimReason: 'Safety.' })),
      ).toBeAllowed();
    }
  });

  it('of none needs a reason for the first', () => {
    expect(checkQuota(quota({ quota: aim(0), used: 0 }))).toBreakOnly(['BEYOND_AIM_REASON_MISSING']);
  });
});

describe('checkQuota: figures per party', () => {
  const twoForMalmo = perParty(limit(1), { [MALMO]: 2 });

  it('gives a party its own figure and the others the common one', () => {
    expect(checkQuota(quota({ quota: twoForMalmo, municipality: MALMO, used: 1 }))).toBeAllowed();
    expect(checkQuota(quota({ quota: twoForMalmo, municipality: MALMO, used: 2 }))).toBreakOnly([
      'SENDING_QUOTA_EXCEEDED',
    ]);
    expect(checkQuota(quota({ quota: twoForMalmo, municipality: STOCKHOLM, used: 1 }))).toBreakOnly([
      'SENDING_QUOTA_EXCEEDED',
    ]);
    expect(checkQuota(quota({ quota: twoForMalmo, municipality: GOTEBORG, used: 0 }))).toBeAllowed();
  });

  it('takes a party figure of zero as zero, not as the common figure', () => {
    const uppsalaOnlyReceives = perParty(limit(2), { [UPPSALA]: 0 });
    expect(checkQuota(quota({ quota: uppsalaOnlyReceives, municipality: UPPSALA, used: 0 }))).toBreakOnly([
      'SENDING_QUOTA_EXCEEDED',
    ]);
  });

  it('applies to aims as well', () => {
    const aims = perParty(aim(1), { [GOTEBORG]: 3 });
    expect(checkQuota(quota({ quota: aims, municipality: GOTEBORG, used: 2 }))).toBeAllowed();
    expect(checkQuota(quota({ quota: aims, municipality: GOTEBORG, used: 3 }))).toBreakOnly([
      'BEYOND_AIM_REASON_MISSING',
    ]);
  });

  it('names the party’s own figure', () => {
    expect(checkQuota(quota({ quota: twoForMalmo, municipality: MALMO, used: 2 }))[0]!.message).toContain(
      'sent 2 of the 2',
    );
  });
});

describe('beyondQuota', () => {
  it('holds once one more would pass the figure', () => {
    expect(beyondQuota({ quota: aim(2), municipality: STOCKHOLM, used: 1 })).toBe(false);
    expect(beyondQuota({ quota: aim(2), municipality: STOCKHOLM, used: 2 })).toBe(true);
    expect(
      beyondQuota({ quota: perParty(aim(2), { [STOCKHOLM]: 3 }), municipality: STOCKHOLM, used: 2 }),
    ).toBe(false);
  });
});

describe('proposing: the sending quota of the agreement in force', () => {
  /** Stockholm proposes to Malmö with every other prerequisite in place. */
  const propose = (sendingQuota: Quota, sentInTerm: number, beyondAimReason: string | null = null) => {
    const facts: ProposalFacts = {
      today: '2023-03-01',
      home: STOCKHOLM,
      receiving: MALMO,
      agreements: [{ ...TERM_2023, sendingQuota }],
      targetGroup: 'CRIMINAL_GROUP',
      motivated: true,
      policeConsultations: [
        { municipality: STOCKHOLM, date: '2023-02-01' },
        { municipality: MALMO, date: '2023-02-02' },
      ],
      disclosureBases: [
        { recipientMunicipality: MALMO, validFrom: '2023-02-01', validTo: null, withdrawnOn: null },
      ],
      hasChildResponsibility: false,
      temporaryHousingArranged: true,
      caseClosed: false,
      openAssignmentForCase: false,
      sentInTerm,
      beyondAimReason,
    };
    return checkProposal(facts);
  };

  ruleCase(
    'BEYOND_AIM_REASON_MISSING',
    ['a second proposal under the pilot’s aim gives no reason', () => propose(aim(1), 1)],
    ['it gives one', () => propose(aim(1), 1, 'Göteborg cannot take another this term.')],
  );

  it('refuses beyond a limit, with or without a reason', () => {
    expect(propose(limit(1), 1)).toBreakOnly(['SENDING_QUOTA_EXCEEDED']);
    expect(propose(limit(1), 1, 'Urgent.')).toBreakOnly(['SENDING_QUOTA_EXCEEDED']);
  });

  it('reads the home municipality’s own figure', () => {
    expect(propose(perParty(limit(1), { [STOCKHOLM]: 2 }), 1)).toBeAllowed();
    expect(propose(perParty(limit(1), { [MALMO]: 2 }), 1)).toBreakOnly(['SENDING_QUOTA_EXCEEDED']);
  });
});

describe('answering: the receiving quota, for accepting only', () => {
  const answer = (
    decision: ResponseDecision,
    q: Quota,
    used: number,
    beyondAimReason: string | null = null,
  ) =>
    checkRespond({
      status: 'PROPOSED',
      alreadyResponded: false,
      decision,
      agreementEnded: false,
      quota: { quota: q, municipality: MALMO, used, beyondAimReason },
    });

  ruleCase(
    'RECEIVING_QUOTA_EXCEEDED',
    [
      'Malmö accepts beyond the one assignment it may receive in the term',
      () => answer('ACCEPT', limit(1), 1),
    ],
    ['it declines instead', () => answer('DECLINE', limit(1), 1)],
  );
  ruleCase(
    'RECEIVING_QUOTA_EXCEEDED',
    ['two of two are accepted', () => answer('ACCEPT', limit(2), 2)],
    ['one of two is', () => answer('ACCEPT', limit(2), 1)],
  );
  ruleCase(
    'BEYOND_AIM_REASON_MISSING',
    ['Malmö accepts beyond its aim without a reason', () => answer('ACCEPT', aim(1), 1)],
    ['it says why', () => answer('ACCEPT', aim(1), 1, 'We have a KRAMI place free.')],
  );

  it('needs no reason to decline beyond an aim', () => {
    expect(answer('DECLINE', aim(1), 5)).toBeAllowed();
  });

  it('is not judged where the answering city has no quota facts (the home city applying an answer)', () => {
    expect(
      checkRespond({
        status: 'PROPOSED',
        alreadyResponded: false,
        decision: 'ACCEPT',
        agreementEnded: false,
        quota: null,
      }),
    ).toBeAllowed();
  });
});

describe('what the receiving city counts: receivingStatus', () => {
  it('applies its own answer to a proposal the home city has not yet updated', () => {
    expect(receivingStatus('PROPOSED', null)).toBe('PROPOSED');
    expect(receivingStatus('PROPOSED', 'ACCEPT')).toBe('ACCEPTED');
    expect(receivingStatus('PROPOSED', 'DECLINE')).toBe('DECLINED');
  });

  it('takes the home city’s status once it moved on, whatever the answer was', () => {
    for (const status of ASSIGNMENT_STATUSES.filter((s) => s !== 'PROPOSED')) {
      for (const response of ['ACCEPT', 'DECLINE', null] as const) {
        expect(receivingStatus(status, response), `${status} ${response}`).toBe(status);
      }
    }
  });

  /** Malmö's count of what it received, as its quota sees it. */
  const counted = (records: [AssignmentStatus, ResponseDecision | null][]) =>
    records.filter(([status, response]) => countsAgainstReceivingQuota(receivingStatus(status, response)))
      .length;

  it('counts an accepted proposal at once, before the home city confirms it', () => {
    expect(counted([['PROPOSED', 'ACCEPT']])).toBe(1);
    expect(counted([['PROPOSED', null]])).toBe(0);
    expect(counted([['PROPOSED', 'DECLINE']])).toBe(0);
  });

  it('does not count a withdrawn proposal Malmö had accepted (the withdrawal crossed the answer)', () => {
    expect(counted([['WITHDRAWN', 'ACCEPT']])).toBe(0);
    // So Malmö may still accept another under a limit of one.
    const used = counted([
      ['WITHDRAWN', 'ACCEPT'],
      ['DECLINED', 'DECLINE'],
    ]);
    expect(
      checkRespond({
        status: 'PROPOSED',
        alreadyResponded: false,
        decision: 'ACCEPT',
        agreementEnded: false,
        quota: { quota: limit(1), municipality: MALMO, used, beyondAimReason: null },
      }),
    ).toBeAllowed();
  });

  it('keeps counting assignments that have ended', () => {
    expect(
      counted([
        ['COMPLETED', 'ACCEPT'],
        ['TERMINATED', 'ACCEPT'],
        ['ACTIVE', 'ACCEPT'],
      ]),
    ).toBe(3);
  });
});

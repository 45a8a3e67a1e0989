// Proposing an assignment: rules 1-4, 6, 9 and 11 as prerequisites, all
// reported at once. Aims and limits of rule 9 are in quotas.test.ts.
import { describe, expect, it } from 'vitest';
import {
  checkProposal,
  disclosureBasisInForce,
  type DisclosureBasisFacts,
  type ProposalFacts,
} from '../../../subgraphs/agreement/rules';
import { approvedBy } from '../../../schema/contract/agreements';
import { GOTEBORG, MALMO, STOCKHOLM, TERM_2023, TERM_2024, UPPSALA } from './fixtures';
import { ruleCase } from './ruleCase';

const TODAY = '2023-03-01';

/** Stockholm proposes to Malmö with every prerequisite in place. */
function facts(overrides: Partial<ProposalFacts> = {}): ProposalFacts {
  return {
    today: TODAY,
    home: STOCKHOLM,
    receiving: MALMO,
    agreements: [TERM_2023, TERM_2024],
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
    sentInTerm: 0,
    beyondAimReason: null,
    ...overrides,
  };
}

const basis = (overrides: Partial<DisclosureBasisFacts> = {}): DisclosureBasisFacts => ({
  recipientMunicipality: MALMO,
  validFrom: '2023-02-01',
  validTo: null,
  withdrawnOn: null,
  ...overrides,
});

describe('checkProposal', () => {
  it('allows a proposal with every prerequisite in place', () => {
    expect(checkProposal(facts())).toBeAllowed();
  });

  it('reports every missing prerequisite of a case with nothing recorded, at once', () => {
    const verdict = checkProposal(
      facts({
        targetGroup: null,
        motivated: null,
        policeConsultations: [],
        disclosureBases: [],
        hasChildResponsibility: null,
        temporaryHousingArranged: false,
      }),
    );

    expect(verdict).toBreakOnly([
      'TARGET_GROUP_NOT_ASSESSED',
      'MOTIVATION_NOT_ASSESSED',
      'POLICE_CONSULTATION_HOME_MISSING',
      'POLICE_CONSULTATION_RECEIVING_MISSING',
      'DISCLOSURE_BASIS_MISSING',
      'CHILD_RESPONSIBILITY_NOT_ASSESSED',
      'TEMPORARY_HOUSING_MISSING',
    ]);
    expect(verdict).toHaveLength(7);
    for (const v of verdict) expect(v.message).toMatch(/^[A-Z].*\.$/);
  });

  it('reports the negative assessments and case state together as well', () => {
    const verdict = checkProposal(
      facts({
        targetGroup: null,
        motivated: false,
        hasChildResponsibility: true,
        caseClosed: true,
        openAssignmentForCase: true,
        sentInTerm: 1,
      }),
    );

    expect(verdict).toBreakOnly([
      'TARGET_GROUP_NOT_ASSESSED',
      'NOT_MOTIVATED',
      'CHILD_RESPONSIBILITY',
      'CASE_CLOSED',
      'ASSIGNMENT_ALREADY_OPEN',
      'SENDING_QUOTA_EXCEEDED',
    ]);
    expect(verdict).toHaveLength(6);
  });

  it('still checks everything else when home and receiving are the same', () => {
    const verdict = checkProposal(
      facts({ receiving: STOCKHOLM, policeConsultations: [{ municipality: STOCKHOLM, date: '2023-02-01' }] }),
    );
    // Stockholm is a party in force; the disclosure basis names Malmö, not Stockholm.
    expect(verdict).toBreakOnly(['DISCLOSURE_BASIS_MISSING', 'RECEIVING_IS_HOME']);
  });

  describe('rule 1: an agreement in force with both as parties', () => {
    /** Stockholm proposes to Uppsala, which joins only in the second term. */
    const toUppsala = (overrides: Partial<ProposalFacts> = {}) =>
      facts({
        receiving: UPPSALA,
        policeConsultations: [
          { municipality: STOCKHOLM, date: '2023-02-01' },
          { municipality: UPPSALA, date: '2023-02-02' },
        ],
        disclosureBases: [basis({ recipientMunicipality: UPPSALA })],
        ...overrides,
      });

    ruleCase(
      'AGREEMENT_NOT_IN_FORCE',
      ['no term covers today', () => checkProposal(facts({ today: '2025-01-01' }))],
      ['today is the last day of a term', () => checkProposal(facts({ today: '2023-12-31' }))],
    );
    ruleCase(
      'AGREEMENT_NOT_IN_FORCE',
      ['the receiving municipality is not yet a party', () => checkProposal(toUppsala())],
      ['it has become a party in a later term', () => checkProposal(toUppsala({ today: '2024-03-01' }))],
    );
    ruleCase(
      'RECEIVING_IS_HOME',
      [
        'the home municipality names itself as receiving',
        () =>
          checkProposal(
            facts({ receiving: STOCKHOLM, disclosureBases: [basis({ recipientMunicipality: STOCKHOLM })] }),
          ),
      ],
      ['another municipality receives', () => checkProposal(facts())],
    );
  });

  describe('rule 1: valid only once each party’s board approved it', () => {
    const approvedOn = (approvals: Record<string, string>) => [
      {
        ...TERM_2023,
        approvals: Object.entries(approvals).flatMap(([municipality, on]) => approvedBy([municipality], on)),
      },
    ];

    ruleCase(
      'AGREEMENT_NOT_APPROVED',
      [
        'Malmö’s board has not approved it',
        () => checkProposal(facts({ agreements: approvedOn({ [STOCKHOLM]: '2022-12-15' }) })),
      ],
      [
        'both boards have',
        () =>
          checkProposal(
            facts({ agreements: approvedOn({ [STOCKHOLM]: '2022-12-15', [MALMO]: '2022-12-20' }) }),
          ),
      ],
    );
    ruleCase(
      'AGREEMENT_NOT_APPROVED',
      [
        'Malmö’s board approves it the day after the proposal',
        () =>
          checkProposal(
            facts({ agreements: approvedOn({ [STOCKHOLM]: '2022-12-15', [MALMO]: '2023-03-02' }) }),
          ),
      ],
      [
        'it approved it on the day of the proposal',
        () => checkProposal(facts({ agreements: approvedOn({ [STOCKHOLM]: '2022-12-15', [MALMO]: TODAY }) })),
      ],
    );
    ruleCase(
      'AGREEMENT_NOT_APPROVED',
      [
        'only the home municipality and a third party approved it',
        () =>
          checkProposal(
            facts({ agreements: approvedOn({ [STOCKHOLM]: '2022-12-15', [GOTEBORG]: '2022-12-15' }) }),
          ),
      ],
      [
        'the third party has not, but both parties to the assignment have',
        () =>
          checkProposal(
            facts({ agreements: approvedOn({ [STOCKHOLM]: '2022-12-15', [MALMO]: '2022-12-15' }) }),
          ),
      ],
    );

    it('names the agreement and both municipalities', () => {
      const [v] = checkProposal(facts({ agreements: approvedOn({}) }));
      expect(v).toEqual({
        rule: 'AGREEMENT_NOT_APPROVED',
        message: 'Agreement test-2023 is not yet approved by both 0180 and 1280.',
      });
    });

    it('does not judge the quota of an agreement not yet valid', () => {
      expect(checkProposal(facts({ agreements: approvedOn({}), sentInTerm: 9 }))).toBreakOnly([
        'AGREEMENT_NOT_APPROVED',
      ]);
    });
  });

  describe('rule 2: who may be assigned', () => {
    ruleCase(
      'TARGET_GROUP_NOT_ASSESSED',
      ['the target group is not assessed', () => checkProposal(facts({ targetGroup: null }))],
      [
        'the person is in a destructive criminal environment',
        () => checkProposal(facts({ targetGroup: 'DESTRUCTIVE_ENVIRONMENT' })),
      ],
    );
    ruleCase(
      'MOTIVATION_NOT_ASSESSED',
      ['motivation is not assessed', () => checkProposal(facts({ motivated: null }))],
      ['motivation is assessed', () => checkProposal(facts({ motivated: true }))],
    );
    ruleCase(
      'NOT_MOTIVATED',
      ['the person is judged not motivated', () => checkProposal(facts({ motivated: false }))],
      ['the person is judged motivated', () => checkProposal(facts({ motivated: true }))],
    );
    it('does not call an unassessed person unmotivated', () => {
      expect(checkProposal(facts({ motivated: null }))).toBreakOnly(['MOTIVATION_NOT_ASSESSED']);
    });
  });

  describe('rule 3: police consulted in both municipalities', () => {
    ruleCase(
      'POLICE_CONSULTATION_HOME_MISSING',
      [
        'only the receiving municipality consulted the police',
        () => checkProposal(facts({ policeConsultations: [{ municipality: MALMO, date: '2023-02-02' }] })),
      ],
      [
        'the home municipality consulted them today',
        () =>
          checkProposal(
            facts({
              policeConsultations: [
                { municipality: STOCKHOLM, date: TODAY },
                { municipality: MALMO, date: '2023-02-02' },
              ],
            }),
          ),
      ],
    );
    ruleCase(
      'POLICE_CONSULTATION_RECEIVING_MISSING',
      [
        'the receiving consultation is only booked for tomorrow',
        () =>
          checkProposal(
            facts({
              policeConsultations: [
                { municipality: STOCKHOLM, date: '2023-02-01' },
                { municipality: MALMO, date: '2023-03-02' },
              ],
            }),
          ),
      ],
      ['it took place before today', () => checkProposal(facts())],
    );
    it('does not count a consultation in a third municipality', () => {
      const verdict = checkProposal(
        facts({
          policeConsultations: [
            { municipality: STOCKHOLM, date: '2023-02-01' },
            { municipality: GOTEBORG, date: '2023-02-02' },
          ],
        }),
      );
      expect(verdict).toBreakOnly(['POLICE_CONSULTATION_RECEIVING_MISSING']);
    });
  });

  describe('rule 4: a disclosure basis in force for the receiving municipality', () => {
    ruleCase(
      'DISCLOSURE_BASIS_MISSING',
      [
        'the basis covers another municipality',
        () => checkProposal(facts({ disclosureBases: [basis({ recipientMunicipality: GOTEBORG })] })),
      ],
      ['it covers the receiving municipality', () => checkProposal(facts())],
    );
    ruleCase(
      'DISCLOSURE_BASIS_MISSING',
      [
        'consent was withdrawn today',
        () => checkProposal(facts({ disclosureBases: [basis({ withdrawnOn: TODAY })] })),
      ],
      [
        'it is withdrawn only tomorrow',
        () => checkProposal(facts({ disclosureBases: [basis({ withdrawnOn: '2023-03-02' })] })),
      ],
    );
  });

  describe('rule 11: no responsibility for children', () => {
    ruleCase(
      'CHILD_RESPONSIBILITY_NOT_ASSESSED',
      ['it is not assessed', () => checkProposal(facts({ hasChildResponsibility: null }))],
      ['it is assessed', () => checkProposal(facts({ hasChildResponsibility: false }))],
    );
    ruleCase(
      'CHILD_RESPONSIBILITY',
      [
        'the person has responsibility for children',
        () => checkProposal(facts({ hasChildResponsibility: true })),
      ],
      ['the person has none', () => checkProposal(facts({ hasChildResponsibility: false }))],
    );
  });

  describe('rule 6: temporary housing is the home municipality’s', () => {
    ruleCase(
      'TEMPORARY_HOUSING_MISSING',
      ['no temporary housing is arranged', () => checkProposal(facts({ temporaryHousingArranged: false }))],
      ['it is arranged', () => checkProposal(facts({ temporaryHousingArranged: true }))],
    );
  });

  describe('the case', () => {
    ruleCase(
      'CASE_CLOSED',
      ['the case is closed', () => checkProposal(facts({ caseClosed: true }))],
      ['the case is open', () => checkProposal(facts())],
    );
    ruleCase(
      'ASSIGNMENT_ALREADY_OPEN',
      ['the case has an open assignment', () => checkProposal(facts({ openAssignmentForCase: true }))],
      ['its earlier assignments have ended', () => checkProposal(facts({ openAssignmentForCase: false }))],
    );
  });

  describe('rule 9: the sending quota', () => {
    ruleCase(
      'SENDING_QUOTA_EXCEEDED',
      ['the home municipality has sent its one assignment', () => checkProposal(facts({ sentInTerm: 1 }))],
      ['it has sent none', () => checkProposal(facts({ sentInTerm: 0 }))],
    );
    ruleCase(
      'SENDING_QUOTA_EXCEEDED',
      [
        'it has sent two of two in the second term',
        () => checkProposal(facts({ today: '2024-03-01', sentInTerm: 2 })),
      ],
      ['it has sent one of two', () => checkProposal(facts({ today: '2024-03-01', sentInTerm: 1 }))],
    );
    it('is not reported when no agreement is in force (that is reported instead)', () => {
      expect(checkProposal(facts({ today: '2025-01-01', sentInTerm: 5 }))).toBreakOnly([
        'AGREEMENT_NOT_IN_FORCE',
      ]);
    });
  });
});

describe('disclosureBasisInForce', () => {
  const bases = [basis({ validFrom: '2023-02-01', validTo: '2023-05-31' })];

  it('holds from validFrom through validTo, both included', () => {
    expect(disclosureBasisInForce(bases, MALMO, '2023-01-31')).toBe(false);
    expect(disclosureBasisInForce(bases, MALMO, '2023-02-01')).toBe(true);
    expect(disclosureBasisInForce(bases, MALMO, '2023-05-31')).toBe(true);
    expect(disclosureBasisInForce(bases, MALMO, '2023-06-01')).toBe(false);
  });

  it('has no end when validTo is null', () => {
    expect(disclosureBasisInForce([basis()], MALMO, '2030-01-01')).toBe(true);
  });

  it('stops on the day of withdrawal', () => {
    const withdrawn = [basis({ withdrawnOn: '2023-03-10' })];
    expect(disclosureBasisInForce(withdrawn, MALMO, '2023-03-09')).toBe(true);
    expect(disclosureBasisInForce(withdrawn, MALMO, '2023-03-10')).toBe(false);
  });

  it('is per recipient: one basis in force is enough, for its own recipient only', () => {
    const several = [basis({ withdrawnOn: '2023-02-15' }), basis({ validFrom: '2023-03-01' })];
    expect(disclosureBasisInForce(several, MALMO, '2023-02-20')).toBe(false);
    expect(disclosureBasisInForce(several, MALMO, '2023-03-01')).toBe(true);
    expect(disclosureBasisInForce(several, GOTEBORG, '2023-03-01')).toBe(false);
  });
});

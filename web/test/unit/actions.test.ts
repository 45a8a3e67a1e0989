import { describe, expect, it } from 'vitest';
import { attentionOf, availableActions, type AssignmentFacts, type Person } from '../../src/domain/actions';
import { filterFor } from '../../src/domain/filters';

const stockholmCaseworker: Person = { municipality: '0180', permissions: ['caseworker'] };
const goteborgCoordinator: Person = { municipality: '1480', permissions: ['coordinator'] };
const goteborgCaseworker: Person = { municipality: '1480', permissions: ['caseworker'] };
const goteborgFinance: Person = { municipality: '1480', permissions: ['finance'] };
const malmoCoordinator: Person = { municipality: '1280', permissions: ['coordinator'] };
const stockholmAuditor: Person = { municipality: '0180', permissions: ['auditor'] };

const assignment = (facts: Partial<AssignmentFacts>): AssignmentFacts => ({
  homeMunicipality: '0180',
  receivingMunicipality: '1480',
  status: 'PROPOSED',
  overdue: false,
  ...facts,
});

describe('what a person may do with an assignment', () => {
  it('lets the home municipality withdraw a proposal and the receiving coordinator answer it', () => {
    const proposed = assignment({ status: 'PROPOSED' });
    expect(availableActions(proposed, stockholmCaseworker)).toEqual(['withdraw']);
    expect(availableActions(proposed, goteborgCoordinator)).toEqual(['respond']);
  });

  it('keeps answering a proposal to coordinators, as the cities’ permission matrix does', () => {
    expect(availableActions(assignment({ status: 'PROPOSED' }), goteborgCaseworker)).toEqual([]);
  });

  it('offers nothing to a municipality that is not a party, nor to an auditor', () => {
    expect(availableActions(assignment({ status: 'ACTIVE' }), malmoCoordinator)).toEqual([]);
    expect(availableActions(assignment({ status: 'ACTIVE' }), stockholmAuditor)).toEqual([]);
  });

  it('follows the plan: consultation by the receiving municipality, then the home municipality decides', () => {
    const proposedPlan = assignment({
      status: 'ACCEPTED',
      planSummary: { status: 'PROPOSED', consultedAt: null },
    });
    expect(availableActions(proposedPlan, goteborgCoordinator)).toContain('consultPlan');
    expect(availableActions(proposedPlan, stockholmCaseworker)).not.toContain('decidePlan');
    const consulted = assignment({
      status: 'ACCEPTED',
      planSummary: { status: 'PROPOSED', consultedAt: '2026-01-02T10:00:00Z' },
    });
    expect(availableActions(consulted, stockholmCaseworker)).toContain('decidePlan');
    expect(availableActions(consulted, goteborgCoordinator)).not.toContain('consultPlan');
  });

  it('records costs only in an active assignment and only with a money permission', () => {
    const active = assignment({ status: 'ACTIVE', planSummary: { status: 'DECIDED' } });
    expect(availableActions(active, goteborgFinance)).toEqual(['recordCost']);
    expect(availableActions(active, goteborgCaseworker)).not.toContain('recordCost');
    expect(availableActions(active, goteborgCaseworker)).toContain('recordDelivery');
    expect(availableActions(assignment({ status: 'ACCEPTED' }), goteborgFinance)).toEqual([]);
  });

  it('completes only an active assignment and offers nothing once it ended', () => {
    expect(availableActions(assignment({ status: 'ACTIVE' }), stockholmCaseworker)).toContain('complete');
    expect(availableActions(assignment({ status: 'ACCEPTED' }), stockholmCaseworker)).not.toContain(
      'complete',
    );
    for (const status of ['DECLINED', 'WITHDRAWN', 'COMPLETED', 'TERMINATED'] as const) {
      expect(availableActions(assignment({ status }), stockholmCaseworker)).toEqual([]);
      expect(availableActions(assignment({ status }), goteborgCoordinator)).toEqual([]);
    }
  });

  it('lets each party acknowledge a children alert once, and raise one when there is none', () => {
    const alert = { acknowledgedByHome: true, acknowledgedByReceiving: false };
    const alerted = assignment({ status: 'ACTIVE', childrenAlert: alert });
    expect(availableActions(alerted, stockholmCaseworker)).not.toContain('acknowledgeChildrenAlert');
    expect(availableActions(alerted, goteborgCoordinator)).toContain('acknowledgeChildrenAlert');
    expect(availableActions(assignment({ status: 'ACTIVE' }), goteborgCoordinator)).toContain(
      'raiseChildrenAlert',
    );
  });
});

describe('what needs the person’s municipality now', () => {
  it('marks an unanswered proposal for the receiving municipality, overdue when past its deadline', () => {
    expect(attentionOf(assignment({}), goteborgCoordinator)).toEqual(['answer']);
    expect(attentionOf(assignment({ overdue: true }), goteborgCoordinator)).toEqual(['overdue']);
    expect(attentionOf(assignment({ overdue: true }), stockholmCaseworker)).toEqual(['overdue']);
    expect(attentionOf(assignment({}), stockholmCaseworker)).toEqual([]);
  });

  it('puts an unacknowledged children alert first', () => {
    const facts = assignment({
      status: 'ACTIVE',
      childrenAlert: { acknowledgedByHome: false, acknowledgedByReceiving: true },
      planSummary: { status: 'PROPOSED', consultedAt: '2026-01-02T10:00:00Z' },
    });
    expect(attentionOf(facts, stockholmCaseworker)).toEqual(['children', 'decide']);
    expect(attentionOf(facts, goteborgCoordinator)).toEqual([]);
  });
});

describe('the list’s filters', () => {
  it('turns a direction and a counterpart into the parties the API filters by', () => {
    expect(filterFor('0180', 'all', '', '')).toEqual({});
    expect(filterFor('0180', 'sent', 'ACTIVE', '1480')).toEqual({
      status: ['ACTIVE'],
      homeMunicipality: '0180',
      receivingMunicipality: '1480',
    });
    expect(filterFor('0180', 'received', '', '1280')).toEqual({
      receivingMunicipality: '0180',
      homeMunicipality: '1280',
    });
  });
});

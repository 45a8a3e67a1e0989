// What cities say to each other: parseEnvelope takes every message kind with
// well-formed fields and refuses anything else outright, so a receiver never
// applies a half-understood message; SENT_BY says which party may send each
// change.
import { describe, expect, it } from 'vitest';
import { formatId } from '../../schema/contract/ids';
import {
  changeSchemas,
  citySchemas,
  isChange,
  keptChangeReply,
  parseEnvelope,
  readSchemas,
  SENT_BY,
  type ChangeKind,
  type MessageKind,
  type PeerMessage,
} from '../../subgraphs/peer/protocol';

const STOCKHOLM = '0180';
const MALMO = '1280';
const ASSIGNMENT = formatId('asg', STOCKHOLM, MALMO, '3f2b8c1e-5d4a-4b6f-9e21-0c7d8a9b1f34');
const ITEM = formatId('item', STOCKHOLM, MALMO, '8d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
const COST = formatId('cost', STOCKHOLM, MALMO, '1a2b3c4d-5e6f-4a7b-9c8d-0e1f2a3b4c5d');
const AGREEMENT = 'avhoppare-storstad-2023';
const AT = '2023-03-01T09:15:00.000Z';
const ENVELOPE_ID = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';

const planItem = {
  id: ITEM,
  category: 'MOTIVATIONAL_TALKS',
  plannedFrom: '2023-03-01',
  plannedTo: '2023-08-31',
  extent: { quantity: 2, unit: 'SESSIONS_PER_WEEK' },
  estimatedCost: '14400.00',
};
const answer = { itemId: ITEM, answer: 'CANNOT_DELIVER', reason: 'NOT_OFFERED' };
const cost = {
  costId: COST,
  planItemId: ITEM,
  category: 'MOTIVATIONAL_TALKS',
  date: '2023-04-15',
  gross: '1200.00',
  reimbursed: '300.00',
  reimbursementSource: null,
};

/** One well-formed message of every kind, fields only. */
const VALID: Record<MessageKind, Record<string, unknown>> = {
  assignmentProposed: { assignmentId: ASSIGNMENT, agreementId: AGREEMENT, proposedAt: AT },
  statusChanged: {
    assignmentId: ASSIGNMENT,
    event: 'TERMINATE',
    terminationReason: 'MOVED',
    withheld: null,
    changedAt: AT,
  },
  planProposed: { assignmentId: ASSIGNMENT, version: 1, items: [planItem], withheld: null },
  planDecided: { assignmentId: ASSIGNMENT, version: 1, itemIds: [ITEM] },
  responseGiven: {
    assignmentId: ASSIGNMENT,
    decision: 'DECLINE',
    declineReason: 'NO_CAPACITY',
    respondedAt: AT,
  },
  planConsulted: { assignmentId: ASSIGNMENT, version: 1, answers: [answer] },
  costReported: { assignmentId: ASSIGNMENT, ...cost },
  terminationRequested: { assignmentId: ASSIGNMENT, reason: 'RELAPSE' },
  childrenAlert: {
    assignmentId: ASSIGNMENT,
    alertId: 'alert:5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
    action: 'RAISED',
    by: 'receiving',
    at: AT,
  },
  homeState: {
    assignmentId: ASSIGNMENT,
    agreementId: AGREEMENT,
    status: 'ACTIVE',
    proposedAt: AT,
    plans: [{ version: 1, status: 'DECIDED', items: [planItem], decidedItemIds: [ITEM] }],
    terminationReason: null,
    withheld: null,
  },
  receivingState: {
    assignmentId: ASSIGNMENT,
    response: { decision: 'ACCEPT', declineReason: null, respondedAt: AT },
    consultations: [{ version: 1, answers: [answer] }],
    costs: [cost],
  },
  offers: {},
  costsBorne: { counterparty: MALMO, agreementId: AGREEMENT, from: '2023-01-01', to: '2023-06-30' },
  digestBuckets: { buckets: ['00', 'a7', 'ff'] },
  digest: { buckets: ['3c'] },
  reconciliationSettled: { agreementId: AGREEMENT, period: 1 },
  checkpointsHeld: { log: 'disclosure', after: 0 },
  logCheckpoint: {
    log: 'access',
    sequence: 12,
    hash: 'ab'.repeat(32),
    at: AT,
    signature: 'eyJhbGciOiJFZERTQSJ9..c2ln',
  },
};

const envelope = (kind: string, fields: Record<string, unknown>) => ({
  id: ENVELOPE_ID,
  message: { kind, ...fields },
});

/** A valid message of `kind` with some fields replaced; undefined removes one. */
function altered(kind: MessageKind, changes: Record<string, unknown>) {
  const fields: Record<string, unknown> = { ...VALID[kind], ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete fields[key];
  return envelope(kind, fields);
}

const ALL_KINDS = [
  ...Object.keys(changeSchemas),
  ...Object.keys(readSchemas),
  ...Object.keys(citySchemas),
] as MessageKind[];

describe('parseEnvelope', () => {
  it('has an example of every message kind', () => {
    expect(Object.keys(VALID).sort()).toEqual([...ALL_KINDS].sort());
  });

  for (const kind of ALL_KINDS) {
    it(`accepts ${kind} with well-formed fields, as sent`, () => {
      const body = envelope(kind, VALID[kind]);
      expect(parseEnvelope(body)).toEqual(body);
    });
  }

  it('accepts withheld details as null with the reason they were withheld', () => {
    expect(parseEnvelope(altered('planProposed', { items: null, withheld: 'WITHDRAWN' }))).not.toBeNull();
    expect(
      parseEnvelope(altered('statusChanged', { terminationReason: null, withheld: 'EXPIRED' })),
    ).not.toBeNull();
  });

  describe('refuses', () => {
    const refused: [string, unknown][] = [
      ['an unknown kind', envelope('caseDetails', { assignmentId: ASSIGNMENT })],
      ['a message without a kind', { id: ENVELOPE_ID, message: VALID.assignmentProposed }],
      ['a read message with a field', altered('digest', { counterparty: MALMO })],
      ['a digest bucket that is not two hex digits', altered('digestBuckets', { buckets: ['0g'] })],
      ['a digest bucket in capitals', altered('digest', { buckets: ['A7'] })],
      ['a digest bucket named twice', altered('digestBuckets', { buckets: ['a7', 'a7'] })],
      ['no digest buckets', altered('digestBuckets', { buckets: [] })],
      [
        'more digest buckets than there are',
        altered('digestBuckets', {
          buckets: Array.from({ length: 257 }, (_, i) => (i % 256).toString(16).padStart(2, '0')),
        }),
      ],
      ['an extra field in a message', altered('assignmentProposed', { personName: 'Anna Andersson' })],
      ['an extra field beside the message', { ...envelope('offers', {}), sentBy: STOCKHOLM }],
      ['an item id where an assignment id belongs', altered('terminationRequested', { assignmentId: ITEM })],
      ['a cost id where an item id belongs', altered('costReported', { planItemId: COST })],
      ['an id that is not one', altered('planDecided', { itemIds: ['item-1'] })],
      ['an envelope id that is not a UUID', { ...envelope('offers', {}), id: 'message-1' }],
      ['a date that does not exist', altered('costReported', { date: '2023-02-30' })],
      ['a date written otherwise', altered('costReported', { date: '15/04/2023' })],
      ['a date without its leading zeros', altered('costsBorne', { from: '2023-1-1' })],
      ['an instant without a time', altered('assignmentProposed', { proposedAt: '2023-03-01' })],
      [
        'an instant that is not ISO',
        altered('responseGiven', { respondedAt: 'Wed, 01 Mar 2023 09:15:00 GMT' }),
      ],
      ['a negative amount', altered('costReported', { gross: '-1200.00' })],
      ['an amount in fractions of an öre', altered('costReported', { reimbursed: '0.005' })],
      ['an amount sent as a number', altered('costReported', { gross: 1200.5 })],
      ['a version sent as a string', altered('planDecided', { version: '1' })],
      ['a version of zero', altered('planConsulted', { version: 0 })],
      ['a period that is not a whole number', altered('reconciliationSettled', { period: 1.5 })],
      ['a category outside the catalogue', altered('costReported', { category: 'HOUSING' })],
      ['a status the lifecycle does not have', altered('homeState', { status: 'CONFIRMED' })],
      ['an event that is not sent between cities', altered('statusChanged', { event: 'DECIDE_PLAN' })],
      ['a missing field', altered('terminationRequested', { reason: undefined })],
      ['a missing null (null must be sent)', altered('responseGiven', { declineReason: undefined })],
      ['a plan with no items', altered('planProposed', { items: [] })],
      ['a municipality code that is not one', altered('costsBorne', { counterparty: 'Malmö' })],
      ['an envelope without an id', { message: { kind: 'offers' } }],
      ['an envelope without a message', { id: ENVELOPE_ID }],
      ['nothing', null],
      ['a string', JSON.stringify(envelope('offers', {}))],
      ['a list', [envelope('offers', {})]],
    ];
    for (const [what, body] of refused) {
      it(what, () => {
        expect(parseEnvelope(body)).toBeNull();
      });
    }
  });
});

describe('SENT_BY', () => {
  it('covers every change kind and no read', () => {
    expect(Object.keys(SENT_BY).sort()).toEqual(Object.keys(changeSchemas).sort());
    for (const kind of Object.keys(readSchemas)) expect(SENT_BY).not.toHaveProperty(kind);
  });

  it('lets the owner of each fact send it: home the assignment and plan, receiving its answers and costs', () => {
    const expected: Record<ChangeKind, 'home' | 'receiving' | 'either'> = {
      assignmentProposed: 'home',
      statusChanged: 'home',
      planProposed: 'home',
      planDecided: 'home',
      homeState: 'home',
      responseGiven: 'receiving',
      planConsulted: 'receiving',
      costReported: 'receiving',
      terminationRequested: 'receiving',
      receivingState: 'receiving',
      // Rule 11: either party may raise the alert, each acknowledges it.
      childrenAlert: 'either',
    };
    expect(SENT_BY).toEqual(expected);
  });
});

describe('isChange', () => {
  it('tells changes, which are kept and applied once, from reads', () => {
    for (const kind of ALL_KINDS) {
      expect(isChange({ kind, ...VALID[kind] } as PeerMessage), kind).toBe(kind in changeSchemas);
    }
  });
});

describe('keptChangeReply', () => {
  it('keeps of a reply to a change only an acknowledgement, or a refusal’s code, message and rules, bounded', () => {
    expect(keptChangeReply({ ok: true, padding: 'x'.repeat(1_000_000) })).toEqual({ ok: true });
    const refusal = keptChangeReply({
      ok: false,
      code: 'CONFLICT',
      message: 'm'.repeat(10_000),
      rules: ['ILLEGAL_TRANSITION'],
      padding: 'x'.repeat(1_000_000),
    });
    expect(refusal).toEqual({
      ok: false,
      code: 'CONFLICT',
      message: 'm'.repeat(500),
      rules: ['ILLEGAL_TRANSITION'],
    });
  });

  it('is no reply at all when it is not shaped as one, so the message is sent again', () => {
    expect(keptChangeReply(null)).toBeNull();
    expect(keptChangeReply({ ok: 'yes' })).toBeNull();
    expect(keptChangeReply({ ok: false, message: 'no code' })).toBeNull();
    expect(keptChangeReply({ ok: false, code: 'C'.repeat(65), message: '' })).toBeNull();
    expect(keptChangeReply({ ok: false, code: 'CONFLICT', message: '', rules: ['R'.repeat(65)] })).toBeNull();
  });

  it('keeps the first 50 rules of a refusal that names more, still a refusal', () => {
    const rules = Array.from({ length: 60 }, () => 'INTERVENTION_NOT_OFFERED');
    expect(keptChangeReply({ ok: false, code: 'CONFLICT', message: 'no', rules })).toEqual({
      ok: false,
      code: 'CONFLICT',
      message: 'no',
      rules: rules.slice(0, 50),
    });
  });
});

// A city that lies: messages sent by hand, signed with a city's own key as a
// compromised city could sign them. Each city checks what it is told with the
// agreement's rules on its own clock; malformed, illegal, misaddressed and
// replayed messages are refused, and nothing they carried is written. A city
// that asks or sends without end is answered, and kept, up to its budget.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limit } from '../../schema/contract/agreements';
import { cityKeyFiles, readPrivateJwk } from '../../runtime/keys';
import { formatId } from '../../schema/contract/ids';
import { signCheckpoint } from '../../subgraphs/audit/checkpoints';
import { agreeWithin, bothSides } from '../support/cities';
import { within } from '../support/eventually';
import { databaseKinds, DEMO_CITIES, startTestNetwork, type TestNetwork } from '../support/network';
import { sendAs, type PeerAnswer } from '../support/peers';
import { agreementInForceToday, prepareCase, today } from '../support/workflow';

const kinds = await databaseKinds();
const HOME = '0180';
const RECEIVING = '1480';
const OUTSIDER = '1280';
const CHANGES_PER_MINUTE = 240;
// Unanswered proposals a city holds from one other: this file's own proposals from Stockholm stay below it.
const OPEN_PROPOSALS = 20;
const AGREEMENT = agreementInForceToday({ sendingQuota: limit(20), receivingQuota: limit(20) });

describe.each(kinds)('a city that lies, on %s', (database) => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await startTestNetwork({
      database,
      demoData: false,
      cities: DEMO_CITIES,
      agreements: [AGREEMENT],
      // Lower than the default, so one test can send past it in a few seconds.
      env: {
        CONSISTENCY_CHECK_INTERVAL_MS: '0',
        PEER_CHANGES_PER_MINUTE: String(CHANGES_PER_MINUTE),
        PEER_OPEN_PROPOSALS_PER_CITY: String(OPEN_PROPOSALS),
      },
    });
  });
  afterAll(() => network?.stop());

  /** A proposal from `home` to the receiving city through the gateway, as the home city holds it. */
  async function proposeFrom(home: string, unit: string): Promise<string> {
    const caseId = await prepareCase(network, home, RECEIVING, unit);
    const result = await network.query<{ proposeAssignment: { id: string } }>(
      home,
      `mutation ($c: ID!) { proposeAssignment(input: { caseId: $c, receivingMunicipality: "${RECEIVING}" }) { id } }`,
      { c: caseId },
    );
    return result.data!.proposeAssignment.id;
  }

  /** A proposal from home to receiving through the gateway, as both cities hold it. */
  async function proposed(): Promise<string> {
    const id = await proposeFrom(HOME, 'sto-central');
    await agreeWithin(network, id, 'PROPOSED', 20_000);
    return id;
  }

  /** The receiving city accepts `id` through the gateway, as both cities then hold it. */
  async function accept(id: string): Promise<void> {
    await network.query(
      RECEIVING,
      `mutation ($id: ID!) { respondToAssignment(id: $id, decision: ACCEPT) { id } }`,
      { id },
    );
    await agreeWithin(network, id, 'ACCEPTED', 20_000);
  }

  /** A proposal the receiving city accepted. */
  async function accepted(): Promise<string> {
    const id = await proposed();
    await accept(id);
    return id;
  }

  /** The home city's state of `id` as a repair carries it: `status`, no plans unless given. */
  const homeState = (id: string, status: string) => ({
    kind: 'homeState',
    assignmentId: id,
    agreementId: AGREEMENT.id,
    status,
    proposedAt: new Date().toISOString(),
    plans: [] as unknown[],
    terminationReason: status === 'TERMINATED' ? 'MOVED' : null,
    withheld: null,
  });

  it('refuses malformed messages with MALFORMED_MESSAGE and keeps nothing', async () => {
    const id = await proposed();
    const malformed = [
      { kind: 'teleport', assignmentId: id },
      { kind: 'statusChanged', assignmentId: id, event: 'ACCEPT' },
      {
        kind: 'statusChanged',
        assignmentId: id,
        event: 'REOPEN',
        terminationReason: null,
        withheld: null,
        changedAt: new Date().toISOString(),
      },
      {
        kind: 'planProposed',
        assignmentId: id,
        version: 1,
        items: [{ id: 'item:x', category: 'CONTACT_PERSON' }],
        withheld: null,
      },
      {
        kind: 'assignmentProposed',
        assignmentId: 'asg:not-an-id',
        agreementId: AGREEMENT.id,
        proposedAt: 'yesterday',
      },
      {
        kind: 'assignmentProposed',
        assignmentId: id,
        agreementId: AGREEMENT.id,
        proposedAt: new Date().toISOString(),
        extra: 1,
      },
    ];
    for (const message of malformed) {
      const answer = await sendAs(network, HOME, RECEIVING, message);
      expect([answer.status, answer.reply]).toMatchObject([400, { ok: false, code: 'MALFORMED_MESSAGE' }]);
    }
    expect(await bothSides(network, id)).toEqual({ home: 'PROPOSED', receiving: 'PROPOSED' });
  });

  it('refuses status changes the lifecycle does not allow, naming the rule', async () => {
    const id = await proposed();
    const change = (event: string) => ({
      kind: 'statusChanged',
      assignmentId: id,
      event,
      terminationReason: null,
      withheld: null,
      changedAt: new Date().toISOString(),
    });
    // The home city cannot answer for the receiving one, nor complete what never started.
    for (const event of ['ACCEPT', 'COMPLETE', 'TERMINATE']) {
      const answer = await sendAs(network, HOME, RECEIVING, change(event));
      expect(answer.reply).toMatchObject({ ok: false, code: 'CONFLICT', rules: ['ILLEGAL_TRANSITION'] });
    }
    // A repair cannot move a copy backwards either.
    await network.query(
      HOME,
      `mutation ($id: ID!) { withdrawAssignment(id: $id, reason: "Ändrade planer") { id } }`,
      { id },
    );
    await agreeWithin(network, id, 'WITHDRAWN', 20_000);
    const backwards = await sendAs(network, HOME, RECEIVING, {
      kind: 'homeState',
      assignmentId: id,
      agreementId: AGREEMENT.id,
      status: 'PROPOSED',
      proposedAt: new Date().toISOString(),
      plans: [],
      terminationReason: null,
      withheld: null,
    });
    expect(backwards.reply).toMatchObject({ ok: false, code: 'CONFLICT', rules: ['ILLEGAL_TRANSITION'] });
    expect(await bothSides(network, id)).toEqual({ home: 'WITHDRAWN', receiving: 'WITHDRAWN' });
  });

  it('refuses a plan with what the receiving city does not offer, and a decision on items it cannot deliver', async () => {
    const id = await accepted();
    const item = (category: string) => ({
      id: formatId('item', HOME, RECEIVING),
      category,
      plannedFrom: today(),
      plannedTo: today(),
      extent: { quantity: 1, unit: 'DAYS_IN_TOTAL' },
      estimatedCost: '100.00',
    });
    const offered = await network.query<{ interventionOffer: { category: string }[] }>(
      HOME,
      `{ interventionOffer(municipality: "${RECEIVING}") { category } }`,
    );
    const categories = offered.data!.interventionOffer.map((o) => o.category);
    const notOffered = ['CRISIS_SUPPORT', 'PSYCHIATRY_CONTACT', 'WORK_ORIENTED', 'CONTACT_PERSON'].find(
      (c) => !categories.includes(c),
    );
    if (notOffered) {
      const refused = await sendAs(network, HOME, RECEIVING, {
        kind: 'planProposed',
        assignmentId: id,
        version: 1,
        items: [item(notOffered)],
        withheld: null,
      });
      expect(refused.reply).toMatchObject({
        ok: false,
        code: 'CONFLICT',
        rules: ['INTERVENTION_NOT_OFFERED'],
      });
    }
    // A real plan with two items; the receiving city can deliver only the first.
    const proposedPlan = await network.query<{ proposePlan: { planSummary: { items: { id: string }[] } } }>(
      HOME,
      `mutation ($id: ID!, $d: Date!, $c: RequestedIntervention!) { proposePlan(assignmentId: $id, items: [
        { category: $c, plannedFrom: $d, plannedTo: $d, extent: { quantity: 1, unit: DAYS_IN_TOTAL }, estimatedCost: "100.00" },
        { category: $c, plannedFrom: $d, plannedTo: $d, extent: { quantity: 2, unit: DAYS_IN_TOTAL }, estimatedCost: "200.00" }
      ]) { planSummary { items { id } } } }`,
      { id, d: today(), c: categories[0] },
    );
    const [first, second] = proposedPlan.data!.proposePlan.planSummary.items;
    await within(20_000, async () => {
      const consulted = await network.query(
        RECEIVING,
        `mutation ($id: ID!, $a: ID!, $b: ID!) { consultPlan(assignmentId: $id, version: 1, answers: [
          { planItemId: $a, answer: CAN_DELIVER }, { planItemId: $b, answer: CANNOT_DELIVER, reason: NO_CAPACITY }
        ]) { id } }`,
        { id, a: first!.id, b: second!.id },
      );
      expect(consulted.errors).toBeUndefined();
    });
    const decided = await sendAs(network, HOME, RECEIVING, {
      kind: 'planDecided',
      assignmentId: id,
      version: 1,
      itemIds: [first!.id, second!.id],
    });
    expect(decided.reply).toMatchObject({ ok: false, code: 'CONFLICT', rules: ['INTERVENTION_NOT_OFFERED'] });
    // Nor as a repair that says the plan was decided so.
    const repaired = await sendAs(network, HOME, RECEIVING, {
      ...homeState(id, 'ACTIVE'),
      plans: [{ version: 1, status: 'DECIDED', items: null, decidedItemIds: [first!.id, second!.id] }],
    });
    expect(repaired.reply).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      rules: ['INTERVENTION_NOT_OFFERED'],
    });
    expect(await bothSides(network, id)).toEqual({ home: 'ACCEPTED', receiving: 'ACCEPTED' });
  });

  it('applies a repair only as far as the receiving city’s own answers go', async () => {
    const id = await proposed();
    const item = {
      id: formatId('item', HOME, RECEIVING),
      category: 'CONTACT_PERSON',
      plannedFrom: today(),
      plannedTo: today(),
      extent: { quantity: 1, unit: 'DAYS_IN_TOTAL' },
      estimatedCost: '100.00',
    };
    const decidedPlan = { version: 1, status: 'DECIDED', items: [item], decidedItemIds: [item.id] };
    // Not accepted by the receiving city: no repair makes it accepted, active or ended.
    for (const status of ['ACCEPTED', 'ACTIVE', 'TERMINATED']) {
      const answer = await sendAs(network, HOME, RECEIVING, {
        ...homeState(id, status),
        plans: status === 'ACTIVE' ? [decidedPlan] : [],
      });
      expect(answer.reply).toMatchObject({ ok: false, code: 'CONFLICT', rules: ['ILLEGAL_TRANSITION'] });
    }
    await accept(id);
    // Accepted, but no plan consulted on here: nothing binds it yet.
    const unseen = await sendAs(network, HOME, RECEIVING, {
      ...homeState(id, 'ACTIVE'),
      plans: [decidedPlan],
    });
    expect(unseen.reply).toMatchObject({ ok: false, code: 'CONFLICT', rules: ['PLAN_NOT_CONSULTED'] });
    const noPlan = await sendAs(network, HOME, RECEIVING, homeState(id, 'ACTIVE'));
    expect(noPlan.reply).toMatchObject({ ok: false, code: 'CONFLICT', rules: ['NO_PROPOSED_PLAN'] });
    // A version it never saw is checked as its proposal would have been.
    const proposedAs = (plan: Record<string, unknown>) =>
      sendAs(network, HOME, RECEIVING, {
        ...homeState(id, 'ACCEPTED'),
        plans: [{ version: 1, status: 'PROPOSED', items: [{ ...item, ...plan }], decidedItemIds: [] }],
      });
    const backwardsPeriod = await proposedAs({ plannedTo: '2000-01-01' });
    expect(backwardsPeriod.reply).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      rules: ['PLAN_PERIOD_INVALID'],
    });
    const otherPair = await proposedAs({ id: formatId('item', HOME, OUTSIDER) });
    expect(otherPair.reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await bothSides(network, id)).toEqual({ home: 'ACCEPTED', receiving: 'ACCEPTED' });

    // A decision it missed, on a version it answered and of what it can deliver, is repaired.
    const plan = await network.query<{ proposePlan: { planSummary: { items: { id: string }[] } } }>(
      HOME,
      `mutation ($id: ID!, $d: Date!) { proposePlan(assignmentId: $id, items: [
        { category: CONTACT_PERSON, plannedFrom: $d, plannedTo: $d, extent: { quantity: 1, unit: DAYS_IN_TOTAL }, estimatedCost: "100.00" }
      ]) { planSummary { items { id } } } }`,
      { id, d: today() },
    );
    const [only] = plan.data!.proposePlan.planSummary.items;
    await within(20_000, async () => {
      const consulted = await network.query(
        RECEIVING,
        `mutation ($id: ID!, $a: ID!) { consultPlan(assignmentId: $id, version: 1, answers: [{ planItemId: $a, answer: CAN_DELIVER }]) { id } }`,
        { id, a: only!.id },
      );
      expect(consulted.errors).toBeUndefined();
    });
    const repaired = await sendAs(network, HOME, RECEIVING, {
      ...homeState(id, 'ACTIVE'),
      plans: [{ version: 1, status: 'DECIDED', items: null, decidedItemIds: [only!.id] }],
    });
    expect(repaired.reply).toEqual({ ok: true });
    expect((await bothSides(network, id)).receiving).toBe('ACTIVE');
  });

  it('applies a repair’s costs each on its own: one it refuses does not hold back the rest', async () => {
    const id = await accepted();
    const plan = await network.query<{ proposePlan: { planSummary: { items: { id: string }[] } } }>(
      HOME,
      `mutation ($id: ID!, $d: Date!) { proposePlan(assignmentId: $id, items: [
        { category: CONTACT_PERSON, plannedFrom: $d, plannedTo: $d, extent: { quantity: 1, unit: DAYS_IN_TOTAL }, estimatedCost: "100.00" }
      ]) { planSummary { items { id } } } }`,
      { id, d: today() },
    );
    const [item] = plan.data!.proposePlan.planSummary.items;
    await within(20_000, async () => {
      const consulted = await network.query(
        RECEIVING,
        `mutation ($id: ID!, $a: ID!) { consultPlan(assignmentId: $id, version: 1, answers: [{ planItemId: $a, answer: CAN_DELIVER }]) { id } }`,
        { id, a: item!.id },
      );
      expect(consulted.errors).toBeUndefined();
    });
    await within(20_000, async () => {
      const decided = await network.query(
        HOME,
        `mutation ($id: ID!) { decidePlan(assignmentId: $id, version: 1) { id } }`,
        { id },
      );
      expect(decided.errors).toBeUndefined();
    });
    await agreeWithin(network, id, 'ACTIVE', 20_000);
    const cost = (date: string, gross: string) => ({
      costId: formatId('cost', HOME, RECEIVING),
      planItemId: item!.id,
      category: 'CONTACT_PERSON',
      date,
      gross,
      reimbursed: '0.00',
      reimbursementSource: null,
    });
    // Dated before the item's period: refused on its own, as its report would have been.
    const outside = cost('2000-01-01', '50.00');
    const inside = cost(today(), '75.00');
    const repair = {
      kind: 'receivingState',
      assignmentId: id,
      response: null,
      consultations: [],
      costs: [outside, inside],
    };
    const alone = await sendAs(network, RECEIVING, HOME, { ...repair, costs: [outside] });
    expect(alone.reply).toEqual({ ok: true });
    const answer = await sendAs(network, RECEIVING, HOME, repair);
    expect(answer.reply).toEqual({ ok: true });
    const costs = await network.query<{
      assignment: { costs: { entries: unknown[] } };
    }>(HOME, `query ($id: ID!) { assignment(id: $id) { costs { entries { id amount { amount } } } } }`, {
      id,
    });
    expect(costs.data!.assignment.costs.entries).toEqual([
      { id: inside.costId, amount: { amount: '75.00' } },
    ]);
  });

  it('ends an assignment by a repair whatever versions it carries that never bound this city', async () => {
    const id = await accepted();
    const item = (plannedTo: string) => ({
      id: formatId('item', HOME, RECEIVING),
      category: 'CONTACT_PERSON',
      plannedFrom: today(),
      plannedTo,
      extent: { quantity: 1, unit: 'DAYS_IN_TOTAL' },
      estimatedCost: '100.00',
    });
    // A version superseded long ago is kept as it was, unchecked; one decided without this city is left out.
    const decided = item(today());
    const ended = await sendAs(network, HOME, RECEIVING, {
      ...homeState(id, 'TERMINATED'),
      plans: [
        { version: 1, status: 'SUPERSEDED', items: [item('2000-01-01')], decidedItemIds: [] },
        { version: 2, status: 'DECIDED', items: [decided], decidedItemIds: [decided.id] },
      ],
    });
    expect(ended.reply).toEqual({ ok: true });
    expect((await bothSides(network, id)).receiving).toBe('TERMINATED');
  });

  it('keeps the times a city claims as claims: a future answer does not pin an assignment to the top of lists', async () => {
    const id = await proposed();
    // The receiving city answers for real, then a forged answer claims 2099 for another proposal.
    const other = await proposed();
    const forged = await sendAs(network, RECEIVING, HOME, {
      kind: 'responseGiven',
      assignmentId: other,
      decision: 'ACCEPT',
      declineReason: null,
      respondedAt: '2099-01-01T00:00:00.000Z',
    });
    expect(forged.reply).toEqual({ ok: true });
    const listed = await network.query<{
      assignments: { edges: { node: { id: string; updatedAt: string; respondedAt: string | null } }[] };
    }>(HOME, `{ assignments(first: 100) { edges { node { id updatedAt respondedAt } } } }`);
    const nodes = listed.data!.assignments.edges.map((e) => e.node);
    const answered = nodes.find((n) => n.id === other)!;
    expect(answered.updatedAt < '2030-01-01').toBe(true);
    expect(answered.respondedAt! < '2030-01-01').toBe(true);
    expect(nodes.some((n) => n.id === id)).toBe(true);
  });

  it('takes one open children alert at a time from each party, however many a city sends', async () => {
    const id = await proposed();
    const raise = (from: string, to: string, by: 'home' | 'receiving', alertId = `alert:${randomUUID()}`) =>
      sendAs(network, from, to, {
        kind: 'childrenAlert',
        assignmentId: id,
        alertId,
        action: 'RAISED',
        by,
        at: new Date().toISOString(),
      });
    for (const [from, to, by] of [
      [RECEIVING, HOME, 'receiving'],
      [HOME, RECEIVING, 'home'],
    ] as const) {
      const alertId = `alert:${randomUUID()}`;
      expect((await raise(from, to, by, alertId)).reply).toEqual({ ok: true });
      // The same alert again is the same alert; another while it is open is refused.
      expect((await raise(from, to, by, alertId)).reply).toEqual({ ok: true });
      expect((await raise(from, to, by)).reply).toMatchObject({
        ok: false,
        code: 'CONFLICT',
        rules: ['CHILDREN_ALERT_ALREADY_RAISED'],
      });
    }
  });

  it('acknowledges both alerts when both parties raised one at once', async () => {
    const id = await accepted();
    const ALERT = `query ($id: ID!) { assignment(id: $id) { childrenAlert { raisedBy acknowledgedByHome acknowledgedByReceiving } } }`;
    const alertAtHome = async () =>
      (await network.query<{ assignment: { childrenAlert: unknown } }>(HOME, ALERT, { id })).data?.assignment
        .childrenAlert;
    // Göteborg raises one; Stockholm's own, raised at the same moment, reaches Göteborg after it.
    const raised = await network.query(
      RECEIVING,
      `mutation ($id: ID!) { raiseChildrenAlert(assignmentId: $id) { id } }`,
      { id },
    );
    expect(raised.errors).toBeUndefined();
    await within(10_000, async () => expect(await alertAtHome()).toMatchObject({ raisedBy: RECEIVING }));
    const crossing = await sendAs(network, HOME, RECEIVING, {
      kind: 'childrenAlert',
      assignmentId: id,
      alertId: `alert:${randomUUID()}`,
      action: 'RAISED',
      by: 'home',
      at: new Date().toISOString(),
    });
    expect(crossing.reply).toEqual({ ok: true });
    // One acknowledgement in Göteborg covers both, its own included; then Stockholm's closes Göteborg's.
    const ACK = `mutation ($id: ID!) { acknowledgeChildrenAlert(assignmentId: $id) { id } }`;
    expect((await network.query(RECEIVING, ACK, { id })).errors).toBeUndefined();
    expect((await network.query(HOME, ACK, { id })).errors).toBeUndefined();
    await within(10_000, async () =>
      expect(await alertAtHome()).toEqual({
        raisedBy: RECEIVING,
        acknowledgedByHome: true,
        acknowledgedByReceiving: true,
      }),
    );
  });

  it('holds only so many unanswered proposals from one city; the next waits at the sender, and arrives once there is room', async () => {
    // Malmö proposes to Göteborg: none of this file's other proposals are Malmö's.
    const propose = (assignmentId: string, id?: string) =>
      sendAs(
        network,
        OUTSIDER,
        RECEIVING,
        {
          kind: 'assignmentProposed',
          assignmentId,
          agreementId: AGREEMENT.id,
          proposedAt: new Date().toISOString(),
        },
        { id },
      );
    const withdraw = (assignmentId: string) =>
      sendAs(network, OUTSIDER, RECEIVING, {
        kind: 'statusChanged',
        assignmentId,
        event: 'WITHDRAW',
        terminationReason: null,
        withheld: null,
        changedAt: new Date().toISOString(),
      });
    const deferrals = async () => {
      const text = await (await fetch(`${network.cities.get(RECEIVING)!.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('city_peer_messages_total{') &&
            l.includes('kind="assignmentProposed"') &&
            l.includes('outcome="deferred"'),
        );
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    const ids = Array.from({ length: OPEN_PROPOSALS }, () => formatId('asg', OUTSIDER, RECEIVING));
    for (const id of ids) expect((await propose(id)).reply).toEqual({ ok: true });
    const over = formatId('asg', OUTSIDER, RECEIVING);
    const envelope = randomUUID();
    const deferred = await propose(over, envelope);
    expect([deferred.status, deferred.reply]).toMatchObject([
      429,
      { ok: false, code: 'MESSAGES_OVER_BUDGET' },
    ]);
    // Nothing of it is held, not even the message's record: the same message is taken once there is room.
    expect((await withdraw(over)).reply).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await withdraw(ids[0]!)).reply).toEqual({ ok: true });
    expect((await propose(over, envelope)).reply).toEqual({ ok: true });

    // An honest proposal past the bound waits in Malmö's outbox, and arrives once Göteborg has room.
    const waiting = await proposeFrom(OUTSIDER, 'mmo-ass');
    // Göteborg answered Malmö's outbox as it answered the hand-sent one: later, not never.
    await within(10_000, async () => expect(await deferrals()).toBeGreaterThanOrEqual(2));
    expect(await bothSides(network, waiting)).toEqual({ home: 'PROPOSED', receiving: null });
    expect((await withdraw(ids[1]!)).reply).toEqual({ ok: true });
    await agreeWithin(network, waiting, 'PROPOSED', 20_000);
    // The rest withdrawn: Malmö's room is back for whatever follows.
    for (const id of [...ids.slice(2), over]) expect((await withdraw(id)).reply).toEqual({ ok: true });
  });

  it('refuses messages from a city that is not the party entitled to send them', async () => {
    const id = await proposed();
    // An outsider answering, a receiving city deciding the plan, a city writing about others.
    const outsider = await sendAs(network, OUTSIDER, HOME, {
      kind: 'responseGiven',
      assignmentId: id,
      decision: 'ACCEPT',
      declineReason: null,
      respondedAt: new Date().toISOString(),
    });
    expect(outsider.reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const wrongParty = await sendAs(network, RECEIVING, HOME, {
      kind: 'planDecided',
      assignmentId: id,
      version: 1,
      itemIds: [formatId('item', HOME, RECEIVING)],
    });
    expect(wrongParty.reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await bothSides(network, id)).toEqual({ home: 'PROPOSED', receiving: 'PROPOSED' });
  });

  it('answers a replayed message with its first reply and applies it once; a swapped body is not accepted', async () => {
    const id = await accepted();
    const request = { kind: 'terminationRequested', assignmentId: id, reason: 'MOVED' };
    const messageId = randomUUID();
    const first = await sendAs(network, RECEIVING, HOME, request, { id: messageId });
    const requestedAt = async () =>
      (
        await network.query<{ assignment: { terminationRequest: { requestedAt: string } | null } }>(
          HOME,
          `query ($id: ID!) { assignment(id: $id) { terminationRequest { requestedAt } } }`,
          { id },
        )
      ).data!.assignment.terminationRequest?.requestedAt;
    const before = await requestedAt();
    const again = await sendAs(network, RECEIVING, HOME, request, { id: messageId });
    expect(again.reply).toEqual(first.reply);
    expect(await requestedAt()).toBe(before);
    const swapped = await sendAs(network, RECEIVING, HOME, request, {
      id: messageId,
      body: { id: messageId, message: { ...request, reason: 'RELAPSE' } },
    });
    expect(swapped.status).toBe(401);
    // A second request with its own id is a new request, and the rule refuses it.
    const twice = await sendAs(network, RECEIVING, HOME, { ...request, reason: 'RELAPSE' });
    expect(twice.reply).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      rules: ['TERMINATION_ALREADY_REQUESTED'],
    });
  });

  it('answers a city that asks without end up to its budget, and the other cities as before', async () => {
    // Each question about every digest bucket costs 256 of the default 16 384 a minute.
    const everything = { kind: 'digest' };
    const answers: PeerAnswer[] = [];
    for (let asked = 0; asked < 100; asked++) {
      const answer = await sendAs(network, OUTSIDER, HOME, everything);
      answers.push(answer);
      if (!answer.reply.ok) break;
    }
    expect(answers.filter((a) => a.reply.ok).length).toBeGreaterThanOrEqual(60);
    expect(answers.at(-1)).toMatchObject({
      status: 429,
      reply: { ok: false, code: 'QUESTIONS_OVER_BUDGET' },
    });

    // Each asking city has a budget of its own, and other questions one apart from digests.
    expect((await sendAs(network, RECEIVING, HOME, everything)).reply.ok).toBe(true);
    const offers = await sendAs(network, OUTSIDER, HOME, { kind: 'offers' });
    expect(
      offers.reply.ok && Array.isArray((offers.reply.result as { categories?: unknown }).categories),
    ).toBe(true);
  });

  it('keeps a city’s refused changes up to its budget, and still applies its changes that hold', async () => {
    // An assignment of Stockholm's with Malmö, which Malmö will answer through its own outbox.
    const caseId = await prepareCase(network, HOME, OUTSIDER, 'sto-central');
    const proposal = await network.query<{ proposeAssignment: { id: string } }>(
      HOME,
      `mutation ($c: ID!) { proposeAssignment(input: { caseId: $c, receivingMunicipality: "${OUTSIDER}" }) { id } }`,
      { c: caseId },
    );
    const real = proposal.data!.proposeAssignment.id;
    await agreeWithin(network, real, 'PROPOSED', 20_000);

    // Answers about assignments Stockholm never made: each refused, each refusal kept with its log entry.
    const answers: PeerAnswer[] = [];
    for (let sent = 0; sent < 100; sent++) {
      const answer = await sendAs(network, OUTSIDER, HOME, {
        kind: 'responseGiven',
        assignmentId: formatId('asg', HOME, OUTSIDER),
        decision: 'ACCEPT',
        declineReason: null,
        respondedAt: new Date().toISOString(),
      });
      answers.push(answer);
      if (answer.status === 429) break;
    }
    const refused = answers.filter((a) => a.status === 200);
    // The default budget keeps 30 a minute, and a little comes back while the test sends.
    expect(refused.length).toBeGreaterThanOrEqual(30);
    expect(refused.length).toBeLessThan(40);
    expect(refused.every((a) => !a.reply.ok && a.reply.code === 'NOT_FOUND')).toBe(true);
    expect(answers.at(-1)).toMatchObject({ status: 429, reply: { ok: false, code: 'MESSAGES_OVER_BUDGET' } });
    const kept = await network.internal<{ disclosureLog: { operation: string }[] }>(
      HOME,
      `{ disclosureLog(first: 100, counterpart: "${OUTSIDER}", kind: "message-in") { operation } }`,
      undefined,
      ['auditor'],
    );
    expect(kept.data!.disclosureLog.filter((e) => e.operation === 'peer:responseGiven')).toHaveLength(
      refused.length,
    );

    // Malmö's real answer still applies: only refusals are held back.
    await network.query(
      OUTSIDER,
      `mutation ($id: ID!) { respondToAssignment(id: $id, decision: ACCEPT) { id } }`,
      { id: real },
    );
    await agreeWithin(network, real, 'ACCEPTED', 20_000);
  });

  it('keeps a city’s checkpoints up to its budget, and writes nothing past it', async () => {
    const privateJwk = readPrivateJwk(cityKeyFiles(network.keysDir, OUTSIDER).privateJwk);
    // Far beyond Malmö's own log: checkpoints of entries that never were, each new.
    const first = 1_000_000;
    const answers: PeerAnswer[] = [];
    for (let sequence = first; sequence < first + 200; sequence++) {
      const claims = {
        municipality: OUTSIDER,
        log: 'access' as const,
        sequence,
        hash: 'a'.repeat(64),
        at: new Date().toISOString(),
      };
      const { municipality: _, ...line } = claims;
      const answer = await sendAs(network, OUTSIDER, HOME, {
        kind: 'logCheckpoint',
        ...line,
        signature: await signCheckpoint(privateJwk, claims),
      });
      answers.push(answer);
      if (answer.status === 429) break;
    }
    const held = answers.filter((a) => a.reply.ok).length;
    // The default budget keeps 120 a minute.
    expect(held).toBeGreaterThanOrEqual(120);
    expect(held).toBeLessThan(140);
    expect(answers.at(-1)).toMatchObject({ status: 429, reply: { ok: false, code: 'MESSAGES_OVER_BUDGET' } });
    const asked = await sendAs(network, OUTSIDER, HOME, {
      kind: 'checkpointsHeld',
      log: 'access',
      after: first - 1,
    });
    expect((asked.reply as { result: { checkpoints: unknown[] } }).result.checkpoints).toHaveLength(held);
  });
  it('takes in a city’s changes up to its budget, those that change nothing too', async () => {
    const id = await proposed();
    // The first raises the alert; every later one, with an id of its own, is the same again.
    const alert = {
      kind: 'childrenAlert',
      assignmentId: id,
      alertId: `alert:${randomUUID()}`,
      action: 'RAISED',
      by: 'receiving',
      at: new Date().toISOString(),
    };
    const answers: PeerAnswer[] = [];
    for (let sent = 0; sent < 2 * CHANGES_PER_MINUTE; sent++) {
      const answer = await sendAs(network, RECEIVING, HOME, alert);
      answers.push(answer);
      if (answer.status === 429) break;
    }
    const taken = answers.filter((a) => a.status === 200);
    expect(taken.every((a) => a.reply.ok)).toBe(true);
    // Some of the minute went to the earlier tests, and a little comes back while this one sends.
    expect(taken.length).toBeGreaterThanOrEqual(CHANGES_PER_MINUTE / 2);
    expect(taken.length).toBeLessThan(CHANGES_PER_MINUTE * 1.25);
    expect(answers.at(-1)).toMatchObject({ status: 429, reply: { ok: false, code: 'MESSAGES_OVER_BUDGET' } });
  });
});

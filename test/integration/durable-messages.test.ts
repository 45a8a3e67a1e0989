// Changes between cities survive crashes and partitions. For every step of an
// assignment's life, the city that makes the change is killed with SIGKILL
// right after its commit, before the message leaves, or the city that
// receives the message right after applying it, before its answer leaves (on
// PGlite and on PostgreSQL in turn, so each step meets both). After each
// restart both cities agree, and nothing happened twice.
// Separately, the receiving city is frozen for 30 s while the home city goes
// on, and both agree soon after it thaws. Real processes and databases.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limit } from '../../schema/contract/agreements';
import { agreeWithin } from '../support/cities';
import { within } from '../support/eventually';
import {
  databaseKinds,
  DEMO_CITIES,
  startTestNetwork,
  type DatabaseKind,
  type TestNetwork,
} from '../support/network';
import { agreementInForceToday, prepareCase, today } from '../support/workflow';

const kinds = await databaseKinds();
const PRELOAD = fileURLToPath(new URL('../support/faultInjection.ts', import.meta.url));
const HOME = '0180';
const RECEIVING = '1480';
/** Bound on the time two cities take to agree once both run again. */
const CONVERGE_MS = 30_000;

interface FaultyNetwork {
  network: TestNetwork;
  /** Arms the fault point of a city (empty: none). */
  arm: (code: string, point: string) => void;
}

async function faultyNetwork(database: DatabaseKind): Promise<FaultyNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-faults-'));
  const fileOf = (code: string) => join(dir, `fault-${code}`);
  const network = await startTestNetwork({
    database,
    demoData: false,
    cities: DEMO_CITIES.filter((c) => c.code === HOME || c.code === RECEIVING).map((city) => {
      writeFileSync(fileOf(city.code), '');
      return { ...city, start: { preload: [PRELOAD], env: { FAULT_POINT_FILE: fileOf(city.code) } } };
    }),
    agreements: [agreementInForceToday({ sendingQuota: limit(20), receivingQuota: limit(20) })],
    circuitCooldownMs: 200,
    // Retries come quickly in a test; production waits up to 30 s between attempts.
    env: { PEER_RETRY_MAX_MS: '1000', CONSISTENCY_CHECK_INTERVAL_MS: '0' },
  });
  return { network, arm: (code, point) => writeFileSync(fileOf(code), point) };
}

/** Where a step's crash happens: (a) the acting city after its commit, (b) the other after applying. */
type CrashPoint = 'after-commit' | 'after-apply';

/**
 * Runs one step with its crash: the acting city dies after its commit, or the
 * other after applying the message, then the dead city starts again.
 */
async function stepThroughCrash(
  { network, arm }: FaultyNetwork,
  point: CrashPoint,
  step: { actor: string; kind: string; run: () => Promise<unknown> },
): Promise<void> {
  const victim = point === 'after-commit' ? step.actor : step.actor === HOME ? RECEIVING : HOME;
  arm(victim, `${point}:${step.kind}`);
  const died = network.exitOf(victim);
  // After its commit the acting city drops the request; the change is committed all the same.
  await step.run();
  await died;
  arm(victim, '');
  // Back up, the city delivers the message it committed, or receives it again.
  await network.startCity(victim);
}

const gql = (network: TestNetwork, municipality: string, query: string, variables: Record<string, unknown>) =>
  network.query<Record<string, Record<string, unknown> | null>>(municipality, query, variables);

/**
 * Every step of an assignment's life, each through a crash; both cities agree
 * after each. The two databases take turns: where one network crashes after
 * the commit the other crashes after the apply, so every step meets both
 * crashes and each database both kinds, at half the cold starts.
 */
async function throughEveryCrash(faulty: FaultyNetwork, turn: number): Promise<void> {
  const { network } = faulty;
  let steps = turn;
  const stepThroughCrashes = (
    f: FaultyNetwork,
    step: { actor: string; kind: string; run: () => Promise<unknown> },
  ) => stepThroughCrash(f, steps++ % 2 === 0 ? 'after-commit' : 'after-apply', step);
  const caseId = await prepareCase(network, HOME, RECEIVING, 'sto-central');

  // Propose: only the home city knows, until it comes back and tells.
  let assignmentId = '';
  await stepThroughCrashes(faulty, {
    actor: HOME,
    kind: 'assignmentProposed',
    run: () =>
      gql(
        network,
        HOME,
        `mutation ($c: ID!) { proposeAssignment(input: { caseId: $c, receivingMunicipality: "${RECEIVING}" }) { id } }`,
        { c: caseId },
      ),
  });
  await within(CONVERGE_MS, async () => {
    const cases = await network.internal<{ case: { assignments: { id: string }[] } }>(
      HOME,
      `query ($c: ID!) { case(id: $c) { assignments { id } } }`,
      { c: caseId },
    );
    // Exactly one proposal, though the client got an error.
    expect(cases.data?.case.assignments).toHaveLength(1);
    assignmentId = cases.data!.case.assignments[0]!.id;
  });
  await agreeWithin(network, assignmentId, 'PROPOSED', CONVERGE_MS);

  // Answer: the receiving city's, then the home city's status.
  await stepThroughCrashes(faulty, {
    actor: RECEIVING,
    kind: 'responseGiven',
    run: () =>
      gql(
        network,
        RECEIVING,
        `mutation ($id: ID!) { respondToAssignment(id: $id, decision: ACCEPT) { id } }`,
        { id: assignmentId },
      ),
  });
  await agreeWithin(network, assignmentId, 'ACCEPTED', CONVERGE_MS);

  // The plan in the seeds' order: proposal, consultation answer, decision.
  await stepThroughCrashes(faulty, {
    actor: HOME,
    kind: 'planProposed',
    run: () =>
      gql(
        network,
        HOME,
        `mutation ($id: ID!, $from: Date!, $to: Date!) { proposePlan(assignmentId: $id, items: [{ category: CONTACT_PERSON, plannedFrom: $from, plannedTo: $to, extent: { quantity: 2, unit: HOURS_PER_WEEK }, estimatedCost: "12000.00" }]) { id } }`,
        { id: assignmentId, from: today(), to: today() },
      ),
  });
  const items = await within(CONVERGE_MS, async () => {
    const plan = await gql(
      network,
      HOME,
      `query ($id: ID!) { assignment(id: $id) { planSummary { version items { id } } } }`,
      { id: assignmentId },
    );
    const summary = (
      plan.data?.assignment as { planSummary: { version: number; items: { id: string }[] } } | null
    )?.planSummary;
    expect(summary?.version).toBe(1);
    return summary!.items;
  });
  await stepThroughCrashes(faulty, {
    actor: RECEIVING,
    kind: 'planConsulted',
    run: () =>
      gql(
        network,
        RECEIVING,
        `mutation ($id: ID!, $item: ID!) { consultPlan(assignmentId: $id, version: 1, answers: [{ planItemId: $item, answer: CAN_DELIVER }]) { id } }`,
        {
          id: assignmentId,
          item: items[0]!.id,
        },
      ),
  });
  await within(CONVERGE_MS, async () => {
    const plan = await gql(
      network,
      HOME,
      `query ($id: ID!) { assignment(id: $id) { planSummary { consultedAt } } }`,
      { id: assignmentId },
    );
    expect(
      (plan.data?.assignment as { planSummary: { consultedAt: string | null } }).planSummary.consultedAt,
    ).not.toBeNull();
  });
  await stepThroughCrashes(faulty, {
    actor: HOME,
    kind: 'planDecided',
    run: () =>
      gql(network, HOME, `mutation ($id: ID!) { decidePlan(assignmentId: $id, version: 1) { id } }`, {
        id: assignmentId,
      }),
  });
  await agreeWithin(network, assignmentId, 'ACTIVE', CONVERGE_MS);

  // A cost, booked once however often it was delivered.
  await stepThroughCrashes(faulty, {
    actor: RECEIVING,
    kind: 'costReported',
    run: () =>
      gql(
        network,
        RECEIVING,
        `mutation ($id: ID!, $item: ID!, $d: Date!) { recordCost(input: { assignmentId: $id, planItemId: $item, date: $d, amount: "900.50", description: "Samtal", idempotencyKey: "cost-1" }) { id } }`,
        { id: assignmentId, item: items[0]!.id, d: today() },
      ),
  });
  await within(CONVERGE_MS, async () => {
    const costs = await gql(
      network,
      HOME,
      `query ($id: ID!) { assignment(id: $id) { costs { total { amount } entries { id } } } }`,
      { id: assignmentId },
    );
    expect(costs.data?.assignment).toMatchObject({ costs: { total: { amount: '900.50' }, entries: [{}] } });
  });
  await agreeWithin(network, assignmentId, 'ACTIVE', CONVERGE_MS);

  // The end.
  await stepThroughCrashes(faulty, {
    actor: HOME,
    kind: 'statusChanged',
    run: () =>
      gql(network, HOME, `mutation ($id: ID!) { terminateAssignment(id: $id, reason: MOVED) { id } }`, {
        id: assignmentId,
      }),
  });
  await agreeWithin(network, assignmentId, 'TERMINATED', CONVERGE_MS);
}

// One network per database, both driven at once: the crashes' cold starts and
// the 30 s of the partition pass in parallel.
describe(`changes between cities (${kinds.join(' and ')})`, () => {
  const networks: FaultyNetwork[] = [];
  beforeAll(async () => {
    networks.push(...(await Promise.all(kinds.map(faultyNetwork))));
  });
  afterAll(() => Promise.all(networks.map((n) => n.network.stop())));

  it('survive a crash after the commit and after the apply, at every step, with no effect twice', async () => {
    await Promise.all(networks.map((faulty, turn) => throughEveryCrash(faulty, turn)));
    // Seven crashes and restarts per database, each a cold start of a city process.
  }, 600_000);

  it('reach a receiving city cut off for 30 s: every change the home city made meanwhile, in order', async () => {
    await Promise.all(
      networks.map(async ({ network }) => {
        const caseId = await prepareCase(network, HOME, RECEIVING, 'sto-central');
        const proposed = await gql(
          network,
          HOME,
          `mutation ($c: ID!) { proposeAssignment(input: { caseId: $c, receivingMunicipality: "${RECEIVING}" }) { id } }`,
          { c: caseId },
        );
        const id = (proposed.data?.proposeAssignment as { id: string }).id;
        await agreeWithin(network, id, 'PROPOSED', CONVERGE_MS);

        network.signalCity(RECEIVING, 'SIGSTOP');
        const frozenAt = Date.now();
        // The home city goes on: it withdraws, and raises a children alert on the way.
        const alert = await gql(
          network,
          HOME,
          `mutation ($id: ID!) { raiseChildrenAlert(assignmentId: $id) { id } }`,
          { id },
        );
        expect(alert.errors).toBeUndefined();
        const withdrawn = await gql(
          network,
          HOME,
          `mutation ($id: ID!) { withdrawAssignment(id: $id, reason: "Flyttar inte") { status pendingAtReceiving { waitingFor count } } }`,
          { id },
        );
        expect(withdrawn.data?.withdrawAssignment).toMatchObject({
          status: 'WITHDRAWN',
          pendingAtReceiving: { waitingFor: RECEIVING, count: 2 },
        });

        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - frozenAt))));
        network.signalCity(RECEIVING, 'SIGCONT');
        await agreeWithin(network, id, 'WITHDRAWN', CONVERGE_MS);
        const received = await network.query<{
          assignment: { pendingAtReceiving: unknown; childrenAlert: { raisedBy: string } | null };
        }>(
          HOME,
          `query ($id: ID!) { assignment(id: $id) { pendingAtReceiving { count } childrenAlert { raisedBy } } }`,
          { id },
        );
        expect(received.data?.assignment).toEqual({
          pendingAtReceiving: null,
          childrenAlert: { raisedBy: HOME },
        });
      }),
    );
  }, 240_000);
});

// Shared steps for tests that drive assignments through the gateway as the
// parties' clients would: propose, answer, plan (the home city proposes, the
// receiving city answers the consultation, the home city decides), book costs,
// and read back what each side sees. A change made in one city reaches the
// other by message: the steps wait for it (`settled`) before the next one.
import { expect } from 'vitest';
import { addMonths } from '../../schema/contract/dates';
import type { GraphQLResult, TestNetwork } from './network';
import { FULL, ok, prepareCase, PROPOSE, RESPOND, settled, today, type CasePrerequisites } from './workflow';

/** One unit per city that may open cases (the case's handling unit). */
export const UNIT: Record<string, string> = {
  '0180': 'sto-central',
  '1480': 'gbg-nordost',
  '1280': 'mmo-ass',
  '0380': 'upp-soc',
};

export { FULL };

/** The first error of a response, which must exist, with its code and rule codes. */
export function failure(result: GraphQLResult): { code: unknown; rules: unknown; message: string } {
  const error = result.errors?.[0];
  expect(error, `expected an error, got ${JSON.stringify(result.data)}`).toBeDefined();
  return { code: error!.extensions?.code, rules: error!.extensions?.rules, message: error!.message };
}

/** A page of the caller's assignments across every city. */
export const LIST_PAGE = /* GraphQL */ `
  query List($first: Int, $after: String) {
    assignments(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          homeMunicipality
          receivingMunicipality
          status
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface ListPage {
  assignments: {
    edges: { cursor: string; node: { id: string; homeMunicipality: string; status: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export const ASSIGNMENT = /* GraphQL */ `
  query Assignment($id: ID!) {
    assignment(id: $id) {
      id
      homeMunicipality
      receivingMunicipality
      status
      updatedAt
      respondedAt
      withdrawnAt
      endedAt
      terminationReason
      planSummary {
        version
        status
        items {
          id
          category
        }
      }
      planHistory {
        version
        status
        decidedAt
        items {
          id
          category
        }
      }
      response {
        decision
      }
      costs {
        total {
          amount
        }
        entries {
          id
          planItemId
          date
          amount {
            amount
          }
        }
      }
      deliveries {
        planItemId
        status
      }
      followUps {
        id
        scheduledFor
      }
    }
  }
`;

export interface PlanView {
  version: number;
  status: string;
  decidedAt?: string | null;
  items: { id: string; category: string }[];
}

export interface AssignmentView {
  id: string;
  homeMunicipality: string;
  receivingMunicipality: string;
  status: string;
  updatedAt: string;
  respondedAt: string | null;
  withdrawnAt: string | null;
  endedAt: string | null;
  terminationReason: string | null;
  planSummary: PlanView | null;
  planHistory: PlanView[];
  response: { decision: string } | null;
  costs: {
    total: { amount: string };
    entries: { id: string; planItemId: string; date: string; amount: { amount: string } }[];
  } | null;
  deliveries: { planItemId: string; status: string }[];
  followUps: { id: string; scheduledFor: string }[];
}

/** The assignment as `municipality` sees it through the gateway (null for a non-party). */
export async function viewAs(
  network: TestNetwork,
  municipality: string,
  id: string,
): Promise<AssignmentView | null> {
  return ok(await network.query<{ assignment: AssignmentView | null }>(municipality, ASSIGNMENT, { id }))
    .assignment;
}

const LIST = /* GraphQL */ `
  query List($filter: AssignmentFilter) {
    assignments(first: 100, filter: $filter) {
      edges {
        node {
          id
          status
          updatedAt
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;

/** Every assignment `home` sent, as it sees them through the gateway: id, status and last change. */
export async function sentBy(network: TestNetwork, home: string): Promise<string[]> {
  const data = ok(
    await network.query<{
      assignments: {
        edges: { node: { id: string; status: string; updatedAt: string } }[];
        pageInfo: { hasNextPage: boolean };
      };
    }>(home, LIST, { filter: { homeMunicipality: home } }),
  );
  expect(data.assignments.pageInfo.hasNextPage).toBe(false);
  return data.assignments.edges.map(({ node }) => `${node.id} ${node.status} ${node.updatedAt}`);
}

export const WITHDRAW = /* GraphQL */ `
  mutation Withdraw($id: ID!) {
    withdrawAssignment(id: $id, reason: "Personen har flyttat") {
      id
      status
    }
  }
`;

/** The receiving city's answer (RESPOND); pass `answer(id, decision)` for a decline reason. */
export const RESPOND_WITH = RESPOND;

export const PROPOSE_PLAN = /* GraphQL */ `
  mutation ProposePlan($id: ID!, $items: [PlanItemInput!]!) {
    proposePlan(assignmentId: $id, items: $items) {
      id
      status
      planSummary {
        version
        status
        items {
          id
          category
        }
      }
    }
  }
`;

export const CONSULT_PLAN = /* GraphQL */ `
  mutation ConsultPlan($id: ID!, $version: Int!, $answers: [ConsultationAnswerInput!]!) {
    consultPlan(assignmentId: $id, version: $version, answers: $answers) {
      id
    }
  }
`;

export const DECIDE_PLAN = /* GraphQL */ `
  mutation DecidePlan($id: ID!, $version: Int!) {
    decidePlan(assignmentId: $id, version: $version) {
      id
      status
      planSummary {
        version
        status
      }
    }
  }
`;

/** A consultation answer of CAN_DELIVER for each item. */
export const canDeliver = (itemIds: string[]) =>
  itemIds.map((planItemId) => ({ planItemId, answer: 'CAN_DELIVER' }));

export const RECORD_COST = /* GraphQL */ `
  mutation RecordCost($input: RecordCostInput!) {
    recordCost(input: $input) {
      id
      planItemId
      category
      date
      amount {
        amount
        currency
      }
    }
  }
`;

export const COMPLETE = /* GraphQL */ `
  mutation Complete($id: ID!) {
    completeAssignment(id: $id) {
      id
      status
    }
  }
`;

export const TERMINATE = /* GraphQL */ `
  mutation Terminate($id: ID!, $reason: TerminationReason!) {
    terminateAssignment(id: $id, reason: $reason) {
      id
      status
      terminationReason
    }
  }
`;

/** A plan item input planned from `from` to `to` (defaults: two months either side of today). */
export function planItem(
  category: string,
  from = addMonths(today(), -2),
  to = addMonths(today(), 2),
  estimatedCost = '10000.00',
) {
  return {
    category,
    plannedFrom: from,
    plannedTo: to,
    extent: { quantity: 2, unit: 'SESSIONS_PER_WEEK' },
    estimatedCost,
  };
}

/** A cost input for an item of an assignment. */
export function cost(assignmentId: string, planItemId: string, date: string, amount: string, key: string) {
  return {
    input: {
      assignmentId,
      planItemId,
      date,
      amount,
      description: 'Insats enligt plan',
      idempotencyKey: key,
    },
  };
}

/** Prepares a case at `home` with every prerequisite (or the given ones) and proposes it; returns once the receiving city has it. */
export async function proposed(
  network: TestNetwork,
  home: string,
  receiving: string,
  unitId = UNIT[home]!,
  prerequisites: CasePrerequisites = FULL,
): Promise<{ id: string; caseId: string }> {
  const caseId = await prepareCase(network, home, receiving, unitId, prerequisites);
  const data = ok(
    await network.query<{ proposeAssignment: { id: string; status: string } }>(home, PROPOSE, {
      input: { caseId, receivingMunicipality: receiving },
    }),
  );
  expect(data.proposeAssignment.status).toBe('PROPOSED');
  // The receiving city learns of it by message: answer only once it has.
  await settled(network, data.proposeAssignment.id);
  return { id: data.proposeAssignment.id, caseId };
}

/** Proposed by `home` and accepted by `receiving`; returns once the home city holds it as ACCEPTED. */
export async function accepted(network: TestNetwork, home: string, receiving: string, unitId = UNIT[home]!) {
  const { id, caseId } = await proposed(network, home, receiving, unitId);
  const data = ok(
    await network.query<{ respondToAssignment: { response: { decision: string } } }>(receiving, RESPOND, {
      id,
      decision: 'ACCEPT',
    }),
  );
  expect(data.respondToAssignment.response).toEqual({ decision: 'ACCEPT' });
  await settled(network, id);
  expect((await viewAs(network, home, id))!.status).toBe('ACCEPTED');
  return { id, caseId };
}

/**
 * The plan in the seeds' order (rule 5) on an accepted or active assignment:
 * home proposes `items`, the receiving city answers the consultation (every
 * item CAN_DELIVER unless `answers` says otherwise), home decides. Returns the
 * decided version and its items, once the receiving city has the decision.
 */
export async function decidedPlan(
  network: TestNetwork,
  id: string,
  items: ReturnType<typeof planItem>[],
  answers?: (itemIds: string[]) => unknown[],
) {
  const [, home, receiving] = id.split(':') as [string, string, string];
  const plan = ok(
    await network.query<{
      proposePlan: { planSummary: { version: number; items: { id: string; category: string }[] } };
    }>(home, PROPOSE_PLAN, { id, items }),
  ).proposePlan.planSummary;
  await settled(network, id);
  const itemIds = plan.items.map((i) => i.id);
  ok(
    await network.query(receiving, CONSULT_PLAN, {
      id,
      version: plan.version,
      answers: answers ? answers(itemIds) : canDeliver(itemIds),
    }),
  );
  await settled(network, id);
  const decided = ok(
    await network.query<{ decidePlan: { status: string; planSummary: { version: number; status: string } } }>(
      home,
      DECIDE_PLAN,
      { id, version: plan.version },
    ),
  ).decidePlan;
  expect(decided).toMatchObject({
    status: 'ACTIVE',
    planSummary: { version: plan.version, status: 'DECIDED' },
  });
  await settled(network, id);
  return plan;
}

/**
 * Accepted, with a plan of `items` proposed by home, answered by the receiving
 * city in consultation and decided by home: ACTIVE in both cities. Returns the
 * decided item ids by category.
 */
export async function active(
  network: TestNetwork,
  home: string,
  receiving: string,
  items: ReturnType<typeof planItem>[] = [planItem('CRISIS_SUPPORT')],
  unitId = UNIT[home]!,
) {
  const { id, caseId } = await accepted(network, home, receiving, unitId);
  await decidedPlan(network, id, items);
  const view = (await viewAs(network, home, id))!;
  expect(view.status).toBe('ACTIVE');
  const itemOf = (category: string) => {
    const item = view.planSummary!.items.find((i) => i.category === category);
    expect(item, `no ${category} in the decided plan`).toBeDefined();
    return item!.id;
  };
  return { id, caseId, itemOf };
}

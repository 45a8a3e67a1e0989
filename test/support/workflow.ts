// Building blocks for workflow tests: an agreement in force today whose first
// two reconciliation periods have ended, and a case with every prerequisite.
import { expect } from 'vitest';
import { approvedBy, limit, type AgreementRecord } from '../../schema/contract/agreements';
import { addMonths, dayBefore } from '../../schema/contract/dates';
import { stockholmDay } from '../../subgraphs/clock';
import { within } from './eventually';
import type { GraphQLResult, TestNetwork } from './network';

export const today = () => stockholmDay(new Date());

/** Started 13 months ago on the first of a month, runs another year: periods 1 and 2 have ended. */
export function agreementInForceToday(overrides: Partial<AgreementRecord> = {}): AgreementRecord {
  const validFrom = addMonths(`${today().slice(0, 7)}-01`, -13);
  const parties = overrides.parties ?? ['0180', '1480', '1280'];
  return {
    id: 'test-agreement',
    name: 'Avtal om samverkan för insatser till avhoppare (test)',
    validFrom,
    validTo: dayBefore(addMonths(validFrom, 25)),
    parties,
    approvals: approvedBy(parties, validFrom),
    sendingQuota: limit(1),
    receivingQuota: limit(1),
    reconciliationPeriodMonths: 6,
    equalisationThreshold: '0.10',
    answerDeadlineWorkingDays: 5,
    minimumCellCount: 5,
    ...overrides,
  };
}

/** Fails with the response's errors when there are any. */
export function ok<T>(result: GraphQLResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

/** The rule codes of a CONFLICT refusal. */
export function brokenRules(result: GraphQLResult): string[] {
  const error = result.errors?.[0];
  expect(error?.extensions?.code, JSON.stringify(result.errors)).toBe('CONFLICT');
  return (error?.extensions?.rules as string[]) ?? [];
}

export interface CasePrerequisites {
  targetGroup?: boolean;
  motivation?: boolean;
  policeHome?: boolean;
  policeReceiving?: boolean;
  disclosure?: boolean;
  children?: 'none' | 'has' | 'unassessed';
  housing?: boolean;
}

/** Every prerequisite of a proposal recorded. */
export const FULL: Required<CasePrerequisites> = {
  targetGroup: true,
  motivation: true,
  policeHome: true,
  policeReceiving: true,
  disclosure: true,
  children: 'none',
  housing: true,
};

let people = 0;
/** Valid, obviously fictional personal identity numbers (Luhn check digit computed). */
function fictionalNumber(): string {
  people += 1;
  const base = `000101${String(100 + people).slice(-3)}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const v = Number(base[i]) * (i % 2 === 0 ? 2 : 1);
    sum += v > 9 ? v - 9 : v;
  }
  return `1900${base.slice(2, 6)}-${base.slice(6)}${(10 - (sum % 10)) % 10}`;
}

/** Opens a case at `home` through its internal API and records the chosen prerequisites. */
export async function prepareCase(
  network: TestNetwork,
  home: string,
  receiving: string,
  unitId: string,
  prerequisites: CasePrerequisites = FULL,
): Promise<string> {
  const p = {
    ...Object.fromEntries(Object.keys(FULL).map((k) => [k, false])),
    ...prerequisites,
  } as Required<CasePrerequisites>;
  if (!prerequisites.children) p.children = 'unassessed';
  const call = async (query: string, variables: Record<string, unknown>) =>
    ok(await network.internal<Record<string, { id: string }>>(home, query, variables));
  const opened = await call(
    /* GraphQL */ `
      mutation Open($input: OpenCaseInput!) {
        openCase(input: $input) {
          id
        }
      }
    `,
    { input: { personName: `Demo Testperson ${people}`, personalIdentityNumber: fictionalNumber(), unitId } },
  );
  const caseId = opened.openCase!.id;
  if (p.targetGroup) {
    await call(
      /* GraphQL */ `
        mutation ($c: ID!) {
          assessTargetGroup(caseId: $c, targetGroup: CRIMINAL_GROUP) {
            id
          }
        }
      `,
      { c: caseId },
    );
  }
  if (p.motivation) {
    await call(
      /* GraphQL */ `
        mutation ($c: ID!) {
          assessMotivation(caseId: $c, motivated: true, assessment: "Vill bryta") {
            id
          }
        }
      `,
      { c: caseId },
    );
  }
  const police = /* GraphQL */ `
    mutation ($input: PoliceConsultationInput!) {
      recordPoliceConsultation(input: $input) {
        id
      }
    }
  `;
  if (p.policeHome) {
    await call(police, {
      input: { caseId, municipality: home, date: today(), policeUnit: 'Polisregionen, BOPS' },
    });
  }
  if (p.policeReceiving) {
    await call(police, {
      input: { caseId, municipality: receiving, date: today(), policeUnit: 'Polisregionen, BOPS' },
    });
  }
  if (p.disclosure) {
    await call(
      /* GraphQL */ `
        mutation ($input: DisclosureBasisInput!) {
          recordDisclosureBasis(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          caseId,
          recipientMunicipality: receiving,
          kind: 'CONSENT',
          scope: 'uppdrag, genomförandeplan och kostnader',
          validFrom: addMonths(today(), -14),
        },
      },
    );
  }
  if (p.children !== 'unassessed') {
    await call(
      /* GraphQL */ `
        mutation ($c: ID!, $has: Boolean!) {
          recordChildResponsibility(caseId: $c, hasChildResponsibility: $has) {
            id
          }
        }
      `,
      { c: caseId, has: p.children === 'has' },
    );
  }
  if (p.housing) {
    await call(
      /* GraphQL */ `
        mutation ($c: ID!) {
          recordTemporaryHousing(caseId: $c, description: "Tillfälligt boende ordnat") {
            id
          }
        }
      `,
      { c: caseId },
    );
  }
  return caseId;
}

export const PROPOSE = /* GraphQL */ `
  mutation Propose($input: ProposeAssignmentInput!) {
    proposeAssignment(input: $input) {
      id
      status
      homeMunicipality
      receivingMunicipality
    }
  }
`;

/**
 * The receiving city's answer. Declining names a DeclineReason; the status the
 * answer leads to is the home city's, which learns of it by message.
 */
export const RESPOND = /* GraphQL */ `
  mutation Respond($id: ID!, $decision: ResponseDecision!, $declineReason: DeclineReason) {
    respondToAssignment(id: $id, decision: $decision, declineReason: $declineReason) {
      id
      response {
        decision
      }
    }
  }
`;

/** The variables of RESPOND for `decision`, with a decline reason when declining. */
export const answer = (id: string, decision: 'ACCEPT' | 'DECLINE') =>
  decision === 'DECLINE' ? { id, decision, declineReason: 'NO_CAPACITY' } : { id, decision };

const PENDING = /* GraphQL */ `
  query Pending($id: ID!) {
    assignment(id: $id) {
      pendingAtReceiving {
        count
      }
      pendingAtHome {
        count
      }
    }
  }
`;

/**
 * Waits until neither city has a change about the assignment still on its way
 * to the other (seen twice in a row, as the two cities are read one after the
 * other): whatever either party did has been applied, or refused, by the other.
 */
export async function settled(network: TestNetwork, id: string, timeoutMs?: number): Promise<void> {
  const home = id.split(':')[1]!;
  const quiet = async () => {
    const seen = ok(
      await network.query<{ assignment: { pendingAtReceiving: unknown; pendingAtHome: unknown } | null }>(
        home,
        PENDING,
        { id },
      ),
    );
    expect(seen.assignment).toEqual({ pendingAtReceiving: null, pendingAtHome: null });
  };
  await within(timeoutMs ?? 20_000, async () => {
    await quiet();
    await quiet();
  });
}

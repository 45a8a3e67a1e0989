// Looking at both sides of an assignment, each in its own city (internal
// APIs, as each city's people would), and waiting for the two to agree.
import { expect } from 'vitest';
import { within } from './eventually';
import type { TestNetwork } from './network';

export interface BothSides {
  /** The home city's status of the assignment; null when it has none. */
  home: string | null;
  /** The receiving city's copy of the status; null when it has none. */
  receiving: string | null;
}

/** The status each city holds for the assignment, from its internal API. */
export async function bothSides(network: TestNetwork, assignmentId: string): Promise<BothSides> {
  const [, home, receiving] = assignmentId.split(':');
  const [cases, received] = await Promise.all([
    network.internal<{ cases: { assignments: { id: string; status: string }[] }[] }>(
      home!,
      /* GraphQL */ `
        {
          cases {
            assignments {
              id
              status
            }
          }
        }
      `,
    ),
    network.internal<{ receivedAssignments: { id: string; status: string }[] }>(
      receiving!,
      /* GraphQL */ `
        {
          receivedAssignments {
            id
            status
          }
        }
      `,
    ),
  ]);
  const atHome = cases.data?.cases.flatMap((c) => c.assignments).find((a) => a.id === assignmentId);
  const atReceiving = received.data?.receivedAssignments.find((a) => a.id === assignmentId);
  return { home: atHome?.status ?? null, receiving: atReceiving?.status ?? null };
}

export interface PairReport {
  counterparty: string;
  agreeing: number;
  catchingUp: number;
  differences: { assignmentId: string; fields: string[] }[];
  error: string | null;
}

/** A city's comparison with every other city (its internal API's consistency query). */
export async function consistencyOf(network: TestNetwork, municipality: string): Promise<PairReport[]> {
  const result = await network.internal<{ consistency: PairReport[] }>(
    municipality,
    /* GraphQL */ `
      {
        consistency {
          counterparty
          agreeing
          catchingUp
          differences {
            assignmentId
            fields
          }
          error
        }
      }
    `,
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.consistency;
}

/**
 * Waits until the two cities hold the same status for the assignment, neither
 * has a change about it still on its way, and the home city's comparison with
 * the receiving one finds nothing different about it.
 */
export async function agreeWithin(
  network: TestNetwork,
  assignmentId: string,
  expected: string,
  timeoutMs: number,
): Promise<void> {
  const [, home, receiving] = assignmentId.split(':');
  await within(timeoutMs, async () => {
    expect(await bothSides(network, assignmentId)).toEqual({ home: expected, receiving: expected });
    const pending = await network.query<{
      assignment: { pendingAtReceiving: unknown; pendingAtHome: unknown };
    }>(
      home!,
      /* GraphQL */ `
        query ($id: ID!) {
          assignment(id: $id) {
            pendingAtReceiving {
              count
            }
            pendingAtHome {
              count
            }
          }
        }
      `,
      { id: assignmentId },
    );
    expect(pending.data?.assignment).toEqual({ pendingAtReceiving: null, pendingAtHome: null });
    const pair = (await consistencyOf(network, home!)).find((r) => r.counterparty === receiving);
    expect(pair?.error).toBeNull();
    expect(pair?.differences.filter((d) => d.assignmentId === assignmentId)).toEqual([]);
  });
}

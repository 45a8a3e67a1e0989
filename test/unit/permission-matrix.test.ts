// The permission matrix, walked: for every root field every city serves and
// every permission, the field runs for the permissions the matrix lists and is FORBIDDEN for
// the others, before anything else happens.
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, mayRun } from '../../schema/contract/permissions';
import { withPermissionChecks } from '../../schema/contract/permissionChecks';
import { caseworkResolvers } from '../../subgraphs/roles/casework/resolvers';
import { executionResolvers } from '../../subgraphs/roles/execution/resolvers';
import { internalResolvers } from '../../subgraphs/internal/resolvers';
import { caseworkSchema, executionSchema, internalSchema } from '../../subgraphs/schemas';

type Root = Record<string, Record<string, (...args: unknown[]) => unknown>>;

const maps = { casework: caseworkResolvers, execution: executionResolvers, internal: internalResolvers };

/** Runs a guarded resolver; the inner resolver fails for lack of a database, which is not FORBIDDEN. */
async function outcome(
  resolve: (...args: unknown[]) => unknown,
  permissions: string[],
): Promise<'forbidden' | 'ran'> {
  const sentinel = new Error('reached the resolver');
  const ctx = {
    principal: { municipality: '0180', unit: null, subject: 'test', permissions },
    get db(): never {
      throw sentinel;
    },
  };
  try {
    await resolve({}, {}, ctx, {});
    return 'ran';
  } catch (error) {
    if (
      error instanceof GraphQLError &&
      error.extensions.code === 'FORBIDDEN' &&
      /needs one of the permissions/.test(error.message)
    ) {
      return 'forbidden';
    }
    return 'ran';
  }
}

/**
 * Who may run what, written out here on its own: the policy as the
 * agreement's parties would state it (W caseworker, C coordinator, F finance,
 * A auditor). A change to FIELD_PERMISSIONS must be made here too, on purpose.
 */
const EXPECTED: Record<string, string> = {
  'Query.assignments': 'WCFA',
  'Query.assignmentCounterparts': 'WCFA',
  'Query.assignment': 'WCFA',
  'Query.interventionOffer': 'WCFA',
  'Query.municipalities': 'WCFA',
  'Query.agreements': 'WCFA',
  'Query.agreement': 'WCFA',
  'Mutation.proposeAssignment': 'WC',
  'Mutation.withdrawAssignment': 'WC',
  'Mutation.proposePlan': 'WC',
  'Mutation.decidePlan': 'WC',
  'Mutation.scheduleFollowUp': 'WC',
  'Mutation.confirmFollowUpParticipation': 'WC',
  'Mutation.completeFollowUp': 'WC',
  'Mutation.raiseChildrenAlert': 'WC',
  'Mutation.acknowledgeChildrenAlert': 'WC',
  'Mutation.completeAssignment': 'WC',
  'Mutation.terminateAssignment': 'WC',
  'Mutation.respondToAssignment': 'C',
  'Mutation.consultPlan': 'WC',
  'Mutation.assignReceivingUnit': 'C',
  'Mutation.requestTermination': 'WC',
  'Mutation.recordDelivery': 'WC',
  'Mutation.recordCost': 'CF',
  'Mutation.recordReimbursement': 'CF',
  'Query.reconciliation': 'CFA',
  'Mutation.confirmReconciliation': 'F',
  'Mutation.declineReconciliation': 'F',
  'Query.networkBalance': 'CFA',
  'Query.evaluationReport': 'CFA',
  'Query.disclosureLogAnchor': 'CA',
  'Query.cases': 'WCA',
  'Query.case': 'WCA',
  'Query.units': 'WCFA',
  'Query.disclosureLog': 'A',
  'Query.disclosureLogVerification': 'A',
  'Query.caseAccessLog': 'A',
  'Query.caseAccessLogVerification': 'A',
  'Query.logCheckpoints': 'A',
  'Query.consistency': 'CA',
  'Query.receivedAssignments': 'WC',
  'Mutation.openCase': 'WC',
  'Mutation.updatePerson': 'WC',
  'Mutation.assessTargetGroup': 'WC',
  'Mutation.assessThreat': 'WC',
  'Mutation.assessMotivation': 'WC',
  'Mutation.recordChildResponsibility': 'WC',
  'Mutation.recordTemporaryHousing': 'WC',
  'Mutation.recordDisclosureBasis': 'WC',
  'Mutation.withdrawDisclosureBasis': 'WC',
  'Mutation.recordPoliceConsultation': 'WC',
  'Mutation.assignHandlingUnit': 'C',
  'Mutation.addJournalNote': 'WC',
  'Mutation.mergeUnits': 'C',
  'Mutation.closeCase': 'WC',
};
const LETTER: Record<string, string> = { caseworker: 'W', coordinator: 'C', finance: 'F', auditor: 'A' };

describe('the permission matrix', () => {
  const guardedFields = new Set<string>();
  for (const [subgraph, resolvers] of Object.entries(maps)) {
    const guarded = withPermissionChecks(resolvers) as unknown as Root;
    for (const type of ['Query', 'Mutation'] as const) {
      for (const [name, resolve] of Object.entries(guarded[type] ?? {})) {
        const key = `${type}.${name}`;
        guardedFields.add(key);
        it(`${subgraph} ${key}: ${EXPECTED[key] ?? '(not in the expected table)'}`, async () => {
          expect(EXPECTED[key], `${key} is missing from the expected table`).toBeDefined();
          for (const permission of PERMISSIONS) {
            expect([permission, await outcome(resolve, [permission])]).toEqual([
              permission,
              EXPECTED[key]!.includes(LETTER[permission]!) ? 'ran' : 'forbidden',
            ]);
          }
          expect(await outcome(resolve, [])).toBe('forbidden');
        });
      }
    }
  }

  it('declares a permission for every root field of every schema (building them would fail otherwise)', () => {
    expect(() => [caseworkSchema(), executionSchema(), internalSchema()]).not.toThrow();
  });

  it('expects nothing of a field no city serves (the reference data aside)', () => {
    const reference = ['Query.municipalities', 'Query.agreements', 'Query.agreement'];
    expect(
      Object.keys(EXPECTED).filter((key) => !guardedFields.has(key) && !reference.includes(key)),
    ).toEqual([]);
  });

  it('refuses a field nobody declared', () => {
    expect(mayRun('Query.nonexistent', [...PERMISSIONS])).toBe(false);
  });
});

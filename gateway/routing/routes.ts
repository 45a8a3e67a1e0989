// The declared routing table: for each role, who owns its entities and how
// each root field finds its city. Adding a root field to a role's SDL means
// adding a line here (a unit test checks that none is missing).
import type { Party } from '../../schema/contract/parties';
import type { MunicipalityCode } from '../../schema/contract/municipality';

export type RoleName = 'casework' | 'execution';

/** Reads an argument of the routed field (variables already substituted). */
export type ArgumentReader = (name: string) => unknown;

type FanOutTargets = (
  args: ArgumentReader,
  caller: MunicipalityCode,
  network: MunicipalityCode[],
) => MunicipalityCode[];

export type RootRoute =
  /** Sent to every relevant city; the answers are merged as a keyset connection. */
  | {
      kind: 'fanOut';
      targets: FanOutTargets;
      merge: 'connection';
      /** Page size when the client gives none (the SDL default of `first`). */
      defaultPageSize: number;
      /** Largest `first` a city answers; the gateway refuses more before asking any (hardening/pageSize.ts). */
      maxPageSize: number;
      /**
       * Other cities than the caller's are asked only when they sent the
       * caller assignments (the caller's city knows which): the calls per
       * request follow the caller's counterparts, not the size of the network.
       */
      onlyCounterparts?: boolean;
    }
  /**
   * Sent to every relevant city; each answers its own rows. `list` concatenates
   * list answers; `object` concatenates every list field of object answers.
   */
  | { kind: 'fanOut'; targets: FanOutTargets; merge: 'list' | 'object' }
  /** Sent to the party that owns the record an id argument names (dotted path for input fields). */
  | { kind: 'byId'; argument: string; party: Party }
  /** Sent to the municipality an argument names. */
  | { kind: 'byMunicipality'; argument: string }
  /** Sent to the caller's own municipality (it acts as home, on its own records). */
  | { kind: 'caller' }
  /** Sent to the lower code of a pair of municipalities, which holds what the pair shares. */
  | { kind: 'byPair'; argument: string };

export interface RoleRouting {
  /** Which party's city resolves this role's entities. */
  entityParty: Party;
  /** Keyed by "Query.field" or "Mutation.field". */
  root: Record<string, RootRoute>;
}

interface AssignmentFilterArg {
  homeMunicipality?: unknown;
  receivingMunicipality?: unknown;
}

/**
 * Casework lists live with the home city. A caller is party as home (only its
 * own city) or as receiving (any city), so filters narrow the fan-out.
 */
export function assignmentListTargets(
  args: ArgumentReader,
  caller: MunicipalityCode,
  network: MunicipalityCode[],
): MunicipalityCode[] {
  const filter = (args('filter') ?? {}) as AssignmentFilterArg;
  let targets = network;
  if (typeof filter.homeMunicipality === 'string')
    targets = targets.filter((c) => c === filter.homeMunicipality);
  if (typeof filter.receivingMunicipality === 'string' && filter.receivingMunicipality !== caller) {
    targets = targets.filter((c) => c === caller);
  }
  return targets;
}

const everyCity: FanOutTargets = (_args, _caller, network) => network;

/** The city that holds what a pair of municipalities shares (e.g. their reconciliations). */
export function pairOwner(pair: unknown): MunicipalityCode | null {
  if (!Array.isArray(pair) || pair.length !== 2) return null;
  const [a, b] = pair as unknown[];
  if (typeof a !== 'string' || typeof b !== 'string' || a === b) return null;
  return a < b ? a : b;
}

const home = (argument: string): RootRoute => ({ kind: 'byId', argument, party: 'home' });
const receiving = (argument: string): RootRoute => ({ kind: 'byId', argument, party: 'receiving' });

export const ROUTING: Record<RoleName, RoleRouting> = {
  casework: {
    entityParty: 'home',
    root: {
      'Query.assignments': {
        kind: 'fanOut',
        targets: assignmentListTargets,
        merge: 'connection',
        defaultPageSize: 20,
        maxPageSize: 100,
        onlyCounterparts: true,
      },
      'Query.assignment': home('id'),
      // Hidden from clients; the list asks it of the caller's own city with its page.
      'Query.assignmentCounterparts': { kind: 'caller' },
      'Mutation.proposeAssignment': { kind: 'caller' },
      'Mutation.withdrawAssignment': home('id'),
      'Mutation.proposePlan': home('assignmentId'),
      'Mutation.decidePlan': home('assignmentId'),
      'Mutation.scheduleFollowUp': home('assignmentId'),
      'Mutation.confirmFollowUpParticipation': home('followUpId'),
      'Mutation.completeFollowUp': home('followUpId'),
      // Rule 11: taken by the caller's own city, whichever party it is, so it is never lost.
      'Mutation.raiseChildrenAlert': { kind: 'caller' },
      'Mutation.acknowledgeChildrenAlert': { kind: 'caller' },
      'Mutation.completeAssignment': home('id'),
      'Mutation.terminateAssignment': home('id'),
    },
  },
  execution: {
    entityParty: 'receiving',
    root: {
      'Query.interventionOffer': { kind: 'byMunicipality', argument: 'municipality' },
      'Query.reconciliation': { kind: 'byPair', argument: 'between' },
      'Query.networkBalance': { kind: 'fanOut', targets: everyCity, merge: 'list' },
      'Query.evaluationReport': { kind: 'fanOut', targets: everyCity, merge: 'object' },
      'Query.disclosureLogAnchor': { kind: 'byMunicipality', argument: 'municipality' },
      'Mutation.respondToAssignment': receiving('id'),
      'Mutation.consultPlan': receiving('assignmentId'),
      'Mutation.assignReceivingUnit': receiving('assignmentId'),
      'Mutation.requestTermination': receiving('assignmentId'),
      'Mutation.recordDelivery': receiving('planItemId'),
      'Mutation.recordCost': receiving('input.assignmentId'),
      'Mutation.recordReimbursement': receiving('costId'),
      'Mutation.confirmReconciliation': { kind: 'byPair', argument: 'between' },
      'Mutation.declineReconciliation': { kind: 'byPair', argument: 'between' },
    },
  },
};

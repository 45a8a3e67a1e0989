// Convergence checked, not assumed: each city compares, with each city it
// shares assignments with, a digest of the facts both hold (status, decided
// plan version, costs), and repairs from the city that owns each fact: the
// home city owns the status and the plan, the receiving city the costs. A
// repair is a state message through the outbox, applied by the other city
// only as far as its rules let its copy move forward. Assignments either
// side is still delivering changes about are catching up, not different.
import type { Logger } from '../../runtime/logger';
import { parseId } from '../../schema/contract/ids';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { Principal } from '../../schema/contract/principal';
import { stockholmDay } from '../clock';
import type { CityDatabase } from '../db/database';
import type { Prisma, PrismaClient } from '../db/generated/client';
import { homeStateOf, sentDigest } from '../roles/casework/state';
import { receivedDigest, receivingStateOf } from '../roles/execution/state';
import type { AskPeer } from './client';
import { commitAndTell, type OutboxDispatcher } from './outbox';
import type { DigestLine, DigestResult } from './protocol';

type Reader = PrismaClient | Prisma.TransactionClient;

/** Every assignment this city shares with `counterparty`, from this city's records. */
export async function digestWith(db: Reader, counterparty: MunicipalityCode) {
  const [sent, received, pending] = await Promise.all([
    sentDigest(db, counterparty),
    receivedDigest(db, counterparty),
    db.outboxMessage.findMany({
      where: { recipient: counterparty, deliveredAt: null },
      select: { assignmentId: true },
      distinct: ['assignmentId'],
    }),
  ]);
  const catchingUp = new Set(pending.map((p) => p.assignmentId));
  return [...sent, ...received]
    .map((line): DigestLine => ({ ...line, pending: catchingUp.has(line.assignmentId) }))
    .sort((a, b) => (a.assignmentId < b.assignmentId ? -1 : 1));
}

export type DigestField = 'missing' | 'status' | 'planVersion' | 'costTotal';

export interface Difference {
  assignmentId: string;
  fields: DigestField[];
}

export interface PairComparison {
  counterparty: MunicipalityCode;
  agreeing: number;
  catchingUp: number;
  differences: Difference[];
}

/** Compares two digests of the same pair: differences, with the fields that differ. */
export function compareDigests(
  counterparty: MunicipalityCode,
  ours: readonly DigestLine[],
  theirs: readonly DigestLine[],
): PairComparison {
  const theirsById = new Map(theirs.map((line) => [line.assignmentId, line]));
  const ids = [...new Set([...ours.map((l) => l.assignmentId), ...theirs.map((l) => l.assignmentId)])].sort();
  const oursById = new Map(ours.map((line) => [line.assignmentId, line]));
  const result: PairComparison = { counterparty, agreeing: 0, catchingUp: 0, differences: [] };
  for (const id of ids) {
    const a = oursById.get(id);
    const b = theirsById.get(id);
    if (a?.pending || b?.pending) {
      result.catchingUp += 1;
      continue;
    }
    const fields: DigestField[] = [];
    if (!a || !b) fields.push('missing');
    else {
      if (a.status !== b.status) fields.push('status');
      if (a.planVersion !== b.planVersion) fields.push('planVersion');
      if (a.costTotal !== b.costTotal) fields.push('costTotal');
    }
    if (fields.length === 0) result.agreeing += 1;
    else result.differences.push({ assignmentId: id, fields });
  }
  return result;
}

export interface ConsistencyOptions {
  city: MunicipalityCode;
  db: CityDatabase;
  ask: AskPeer;
  dispatcher: OutboxDispatcher;
  /** Every other municipality of the network. */
  counterparties: () => MunicipalityCode[];
  /** Told of each comparison: the counterparty and how many assignments differ. */
  observe?: (counterparty: MunicipalityCode, differences: number, repaired: number) => void;
  log?: Logger;
}

const CITY: Omit<Principal, 'municipality'> = { unit: null, subject: 'consistency-check', permissions: [] };

export interface ConsistencyChecker {
  /** Compares with one counterparty; repairs what this city owns when `repair` is set. */
  compare(counterparty: MunicipalityCode, options?: { repair?: boolean }): Promise<PairComparison>;
  /** Compares with every counterparty, repairing; true when every one answered. */
  checkAll(): Promise<boolean>;
}

export function consistencyChecker(options: ConsistencyOptions): ConsistencyChecker {
  const { city, db, log } = options;

  const repair = async (counterparty: MunicipalityCode, differences: Difference[], theirs: DigestLine[]) => {
    const now = new Date();
    const today = stockholmDay(now);
    const theirsById = new Map(theirs.map((l) => [l.assignmentId, l]));
    let repaired = 0;
    await commitAndTell(
      { db, dispatcher: options.dispatcher, now, principal: null, traceId: '0'.repeat(32) },
      async (tx, tell) => {
        for (const { assignmentId, fields } of differences) {
          const home = parseId(assignmentId, 'asg')?.home === city;
          // Each side repairs only the facts it owns: the home city the
          // assignment, its status and plan; the receiving city its costs.
          const owned = home
            ? fields.includes('status') ||
              fields.includes('planVersion') ||
              (fields.includes('missing') && !theirsById.has(assignmentId))
            : fields.includes('costTotal');
          if (!owned) continue;
          const message = home
            ? await homeStateOf(tx, assignmentId, today)
            : await receivingStateOf(tx, assignmentId);
          if (!message) continue;
          tell({ to: counterparty, message, disclosesDetails: home, basis: home ? 'REPAIR' : 'NO_DETAILS' });
          repaired += 1;
        }
      },
    );
    return repaired;
  };

  const compare: ConsistencyChecker['compare'] = async (counterparty, { repair: mend = false } = {}) => {
    const ours = await digestWith(db.prisma, counterparty);
    const reply = await options.ask(counterparty, { kind: 'digest' }, { ...CITY, municipality: city });
    if (!reply.ok) throw new Error(`${counterparty} refused the digest: ${reply.code}`);
    const theirs = (reply.result as DigestResult).lines;
    const comparison = compareDigests(counterparty, ours, theirs);
    let repaired = 0;
    if (mend && comparison.differences.length > 0)
      repaired = await repair(counterparty, comparison.differences, theirs);
    for (const difference of comparison.differences) {
      // Ids and field names only: nothing about the person.
      log?.warn(
        { counterparty, assignment: difference.assignmentId, fields: difference.fields },
        'cities disagree',
      );
    }
    options.observe?.(counterparty, comparison.differences.length, repaired);
    return comparison;
  };

  return {
    compare,
    async checkAll() {
      let everyOne = true;
      for (const counterparty of options.counterparties()) {
        try {
          await compare(counterparty, { repair: true });
        } catch (error) {
          everyOne = false;
          log?.info(
            { counterparty, reason: error instanceof Error ? error.message : String(error) },
            'consistency check skipped',
          );
        }
      }
      return everyOne;
    },
  };
}

// The joint figures each city contributes for itself: its row of the network
// balance (rule 9) and its rows of the joint evaluation report (rule 10); the
// gateway puts every city's rows together. With one or two people a year per
// direction a pair's figures identify a person, so they go in full only to
// the pair's two parties (a balance row only to its own municipality); anyone
// else gets only figures counting at least the agreement's minimum number of
// people, the others withheld and named in suppressedFields.
import { forbidden, notFound } from '../../../schema/contract/errors';
import { quotaOf, type AgreementRecord } from '../../../schema/contract/agreements';
import { money } from '../../../schema/contract/money';
import {
  CATALOGUE,
  hasReconciliationPeriod,
  isOverdue,
  periodOf,
  reconciliationPeriod,
  seesPairInFull,
  showCell,
  statusesWhere,
} from '../../agreement/rules';
import { dayOf, stockholmDay } from '../../clock';
import type { CityContext } from '../../context';
import { Prisma } from '../../db/generated/client';
import { countSentAgainstQuota, countSentBeyondAim, sentUnder } from '../casework/sent';
import { countReceivedAgainstQuota } from './quota';
import { reconciliationOfPair, type Pair } from './reconciliation';

const DAY_MS = 86_400_000;

/**
 * The reconciliation periods begun by `today`. A third municipality gets a
 * row for every period and category of a pair whether or not anything
 * happened there, every one withheld: a row that exists only where there
 * were costs or proposals would itself say what support a person had, and when.
 */
function periodsBegun(agreement: AgreementRecord, today: string): number[] {
  const periods: number[] = [];
  for (
    let period = 1;
    period <= 40 &&
    hasReconciliationPeriod(agreement, period) &&
    reconciliationPeriod(agreement, period).from <= today;
    period++
  )
    periods.push(period);
  return periods;
}

/** The other parties whose pair with this city the caller does not see in full. */
function pairsWithheldFrom(ctx: CityContext, agreement: AgreementRecord, cityIs: 'home' | 'receiving') {
  const here = ctx.city.code;
  return agreement.parties.filter(
    (other) =>
      other !== here &&
      !seesPairInFull(
        ctx.principal.municipality,
        cityIs === 'home' ? { home: here, receiving: other } : { home: other, receiving: here },
      ),
  );
}

/** The agreement this city is party to today, else the latest it was party to. */
function currentAgreement(agreements: readonly AgreementRecord[], city: string, today: string) {
  const mine = agreements
    .filter((a) => a.parties.includes(city) && a.validFrom <= today)
    .sort((x, y) => (x.validFrom < y.validFrom ? 1 : -1));
  return mine.find((a) => today <= a.validTo) ?? mine[0] ?? null;
}

/**
 * A row of figures as shown to `inFull` or not: counts are people, money
 * cells go with the count of people they sum over.
 */
function shown<T extends Record<string, unknown>>(
  row: T,
  counted: Partial<Record<keyof T, number>>,
  inFull: boolean,
  minimum: number,
): T & { suppressedFields: string[] } {
  if (inFull) return { ...row, suppressedFields: [] };
  const result: Record<string, unknown> = { ...row };
  const suppressed: string[] = [];
  for (const [field, people] of Object.entries(counted) as [string, number][]) {
    if (showCell({ people, value: row[field] }, minimum).suppressed) {
      result[field] = null;
      suppressed.push(field);
    }
  }
  return { ...(result as T), suppressedFields: suppressed };
}

export async function balanceRow(ctx: CityContext) {
  const today = stockholmDay(ctx.now);
  const agreement = currentAgreement(ctx.agreements, ctx.city.code, today);
  const municipality = ctx.city.code;
  if (!agreement) {
    return {
      municipality,
      agreementId: null,
      sent: 0,
      received: 0,
      beyondAim: 0,
      overdueAnswers: 0,
      sendingQuota: null,
      receivingQuota: null,
      suppressedFields: [],
    };
  }
  const prisma = ctx.db.prisma;
  const [sent, received, sentBeyond, receivedBeyond, proposals] = await Promise.all([
    countSentAgainstQuota(prisma, agreement.id),
    countReceivedAgainstQuota(prisma, agreement.id),
    countSentBeyondAim(prisma, agreement.id),
    prisma.incomingAssignment.count({ where: { agreementId: agreement.id, beyondAimReason: { not: null } } }),
    prisma.incomingAssignment.findMany({
      where: {
        agreementId: agreement.id,
        status: { in: statusesWhere((s) => s === 'PROPOSED') },
        response: null,
      },
      select: { status: true, answerDueOn: true },
    }),
  ]);
  const overdue = proposals.filter((p) =>
    isOverdue(p.status, p.answerDueOn ? dayOf(p.answerDueOn) : null, today),
  ).length;
  const row = {
    municipality,
    agreementId: agreement.id,
    sent,
    received,
    beyondAim: sentBeyond + receivedBeyond,
    overdueAnswers: overdue,
    sendingQuota: { kind: agreement.sendingQuota.kind, max: quotaOf(agreement.sendingQuota, municipality) },
    receivingQuota: {
      kind: agreement.receivingQuota.kind,
      max: quotaOf(agreement.receivingQuota, municipality),
    },
  };
  // A municipality's row sums over all its pairs: in full to itself only.
  return shown(
    row,
    { sent, received, beyondAim: row.beyondAim, overdueAnswers: overdue },
    ctx.principal.municipality === municipality,
    agreement.minimumCellCount,
  );
}

const STATUS_FIELDS = {
  PROPOSED: 'proposed',
  DECLINED: 'declined',
  WITHDRAWN: 'withdrawn',
  ACCEPTED: 'accepted',
  ACTIVE: 'active',
  COMPLETED: 'completed',
  TERMINATED: 'terminated',
} as const;
type StatusCounts = Record<(typeof STATUS_FIELDS)[keyof typeof STATUS_FIELDS], number>;
type Counts = StatusCounts & Record<'everProposed' | 'beyondAim', number>;

const noStatuses = (): StatusCounts => ({
  proposed: 0,
  declined: 0,
  withdrawn: 0,
  accepted: 0,
  active: 0,
  completed: 0,
  terminated: 0,
});

/**
 * The directions this city sent in (it is home): one row per receiving
 * municipality, and one per receiving municipality and the period the
 * proposals were made in.
 */
async function directionRows(ctx: CityContext, agreement: AgreementRecord) {
  const sent = await sentUnder(ctx.db.prisma, agreement.id);
  const rows = new Map<string, { counts: Counts; durations: number[] }>();
  const byPeriod = new Map<string, StatusCounts>();
  // Every direction and period a third municipality may ask about has its row, withheld or not.
  const today = stockholmDay(ctx.now);
  for (const receiving of pairsWithheldFrom(ctx, agreement, 'home')) {
    rows.set(receiving, { counts: { everProposed: 0, beyondAim: 0, ...noStatuses() }, durations: [] });
    for (const period of periodsBegun(agreement, today)) byPeriod.set(`${receiving}|${period}`, noStatuses());
  }
  for (const a of sent) {
    const row = rows.get(a.receivingMunicipality) ?? {
      counts: { everProposed: 0, beyondAim: 0, ...noStatuses() },
      durations: [],
    };
    row.counts.everProposed += 1;
    row.counts[STATUS_FIELDS[a.status]] += 1;
    if (a.beyondAimReason) row.counts.beyondAim += 1;
    if (a.endedAt) row.durations.push((a.endedAt.getTime() - a.proposedAt.getTime()) / DAY_MS);
    rows.set(a.receivingMunicipality, row);
    const period = periodOf(agreement, dayOf(a.proposedAt));
    if (period) {
      const key = `${a.receivingMunicipality}|${period}`;
      const counts = byPeriod.get(key) ?? noStatuses();
      counts[STATUS_FIELDS[a.status]] += 1;
      byPeriod.set(key, counts);
    }
  }
  const inFull = (receiving: string) =>
    seesPairInFull(ctx.principal.municipality, { home: ctx.city.code, receiving });
  const directions = [...rows].map(([receiving, { counts, durations }]) => {
    const row = {
      homeMunicipality: ctx.city.code,
      receivingMunicipality: receiving,
      ...counts,
      averageDurationDays:
        durations.length > 0 ? (durations.reduce((s, d) => s + d, 0) / durations.length).toFixed(2) : null,
    };
    const counted = { ...counts, averageDurationDays: durations.length };
    return shown(row, counted, inFull(receiving), agreement.minimumCellCount);
  });
  const directionsByPeriod = [...byPeriod]
    .map(([key, counts]) => {
      const [receiving, period] = key.split('|') as [string, string];
      const row = {
        homeMunicipality: ctx.city.code,
        receivingMunicipality: receiving,
        period: Number(period),
        ...counts,
      };
      return shown(row, counts, inFull(receiving), agreement.minimumCellCount);
    })
    .sort((x, y) => x.receivingMunicipality.localeCompare(y.receivingMunicipality) || x.period - y.period);
  return { directions, directionsByPeriod };
}

interface CostCell {
  gross: Prisma.Decimal;
  reimbursed: Prisma.Decimal;
  assignments: Set<string>;
}

/** Costs this city bore as receiving, per direction and category, and per direction and period. */
async function costRows(ctx: CityContext, agreement: AgreementRecord) {
  const costs = await ctx.db.prisma.costEntry.findMany({
    where: { assignment: { agreementId: agreement.id } },
    include: { assignment: { select: { homeMunicipality: true } } },
  });
  const byCategory = new Map<string, CostCell>();
  const byPeriod = new Map<string, CostCell>();
  const add = (map: Map<string, CostCell>, key: string, cost: (typeof costs)[number]) => {
    const cell = map.get(key) ?? empty();
    cell.gross = cell.gross.plus(cost.amount);
    cell.reimbursed = cell.reimbursed.plus(cost.reimbursed);
    cell.assignments.add(cost.assignmentId);
    map.set(key, cell);
  };
  const empty = (): CostCell => ({
    gross: new Prisma.Decimal(0),
    reimbursed: new Prisma.Decimal(0),
    assignments: new Set<string>(),
  });
  // Every category and period of a pair withheld from the caller has its row, costs or not.
  const today = stockholmDay(ctx.now);
  for (const home of pairsWithheldFrom(ctx, agreement, 'receiving')) {
    for (const category of CATALOGUE) byCategory.set(`${home}|${category}`, empty());
    for (const period of periodsBegun(agreement, today)) byPeriod.set(`${home}|${period}`, empty());
  }
  for (const cost of costs) {
    const home = cost.assignment.homeMunicipality;
    add(byCategory, `${home}|${cost.category}`, cost);
    const period = periodOf(agreement, dayOf(cost.date));
    if (period) add(byPeriod, `${home}|${period}`, cost);
  }
  const present = <K extends string>(key: K, cell: CostCell, home: string) => {
    const people = cell.assignments.size;
    const row = {
      homeMunicipality: home,
      receivingMunicipality: ctx.city.code,
      gross: money(cell.gross),
      reimbursed: money(cell.reimbursed),
      net: money(cell.gross.minus(cell.reimbursed)),
      assignments: people,
    };
    return {
      key,
      ...shown(
        row,
        { gross: people, reimbursed: people, net: people, assignments: people },
        seesPairInFull(ctx.principal.municipality, { home, receiving: ctx.city.code }),
        agreement.minimumCellCount,
      ),
    };
  };
  return {
    costsByCategory: [...byCategory].map(([key, cell]) => {
      const [home, category] = key.split('|') as [string, string];
      const { key: _key, ...row } = present(key, cell, home);
      return { ...row, category };
    }),
    costsByPeriod: [...byPeriod].map(([key, cell]) => {
      const [home, period] = key.split('|') as [string, string];
      const { key: _key, ...row } = present(key, cell, home);
      return { ...row, period: Number(period) };
    }),
  };
}

/**
 * Every ended period of every pair this city holds (the lower code) with the
 * caller as a party: its status and the equalisation due, settled or not.
 * Periods continue after the term until the last cost; a later period with no
 * costs on either side and nothing recorded is left out.
 */
async function reconciliationRows(ctx: CityContext, agreement: AgreementRecord) {
  const caller = ctx.principal.municipality;
  const today = stockholmDay(ctx.now);
  const here = ctx.city.code;
  if (caller !== here && !(here < caller && agreement.parties.includes(caller))) return [];
  const counterparts = agreement.parties.filter((p) => p > here && (caller === here || p === caller));
  const rows = [];
  for (const counterparty of counterparts) {
    // A counterparty that gave no answer is not asked again for each later period, each waiting out the timeout.
    let ask = true;
    for (let period = 1; period <= 40 && hasReconciliationPeriod(agreement, period); period++) {
      const { from, to } = reconciliationPeriod(agreement, period);
      if (to >= today) break;
      const pair: Pair = { a: here, b: counterparty, counterparty, agreement, period, from, to };
      const row = await reconciliationOfPair(ctx, pair, { ask });
      if (!row.settled && row.counterpartyAgrees === null) ask = false;
      const empty = row.sides.every((s) => s.gross.amount === '0.00') && row.confirmedBy.length === 0;
      if (from > agreement.validTo && empty && row.declinedBy.length === 0) break;
      rows.push(row);
    }
  }
  return rows;
}

export async function evaluationRows(ctx: CityContext, agreementId: string) {
  const agreement = ctx.agreements.find((a) => a.id === agreementId);
  if (!agreement) throw notFound('No such agreement', { argument: 'agreement' });
  if (!agreement.parties.includes(ctx.principal.municipality)) {
    throw forbidden('Only the parties to an agreement see its evaluation report');
  }
  const empty = {
    agreementId,
    directions: [],
    directionsByPeriod: [],
    costsByCategory: [],
    costsByPeriod: [],
    reconciliations: [],
  };
  if (!agreement.parties.includes(ctx.city.code)) return empty;
  const [directions, costs, reconciliations] = await Promise.all([
    directionRows(ctx, agreement),
    costRows(ctx, agreement),
    reconciliationRows(ctx, agreement),
  ]);
  return { agreementId, ...directions, ...costs, reconciliations };
}

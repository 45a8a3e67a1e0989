// Aggregate figures each city contributes for itself: its row of the network
// balance (rule 9) and its rows of the joint evaluation report (rule 10). The
// gateway puts every city's rows together; no person-level data is in them.
import { forbidden, notFound } from '../../../schema/contract/errors';
import { money } from '../../../schema/contract/money';
import type { AgreementRecord } from '../../agreement/agreements';
import { periodOf } from '../../agreement/rules';
import { dayOf, stockholmDay } from '../../clock';
import type { CityContext } from '../../context';
import { Prisma } from '../../db/generated/client';
import { present } from './reconciliation';

const DAY_MS = 86_400_000;

/** The agreement this city is party to today, else the latest it was party to. */
function currentAgreement(agreements: readonly AgreementRecord[], city: string, today: string) {
  const mine = agreements
    .filter((a) => a.parties.includes(city) && a.validFrom <= today)
    .sort((x, y) => (x.validFrom < y.validFrom ? 1 : -1));
  return mine.find((a) => today <= a.validTo) ?? mine[0] ?? null;
}

export async function balanceRow(ctx: CityContext) {
  const agreement = currentAgreement(ctx.agreements, ctx.city.code, stockholmDay(ctx.now));
  if (!agreement) {
    return {
      municipality: ctx.city.code,
      agreementId: null,
      sent: 0,
      received: 0,
      sendingQuota: null,
      receivingQuota: null,
    };
  }
  const [sent, received] = await Promise.all([
    ctx.db.prisma.assignment.count({
      where: { agreementId: agreement.id, status: { notIn: ['WITHDRAWN', 'DECLINED'] } },
    }),
    ctx.db.prisma.incomingAssignment.count({
      where: {
        response: 'ACCEPT',
        status: { notIn: ['WITHDRAWN', 'DECLINED'] },
        agreementId: agreement.id,
      },
    }),
  ]);
  return {
    municipality: ctx.city.code,
    agreementId: agreement.id,
    sent,
    received,
    sendingQuota: agreement.sendingQuota,
    receivingQuota: agreement.receivingQuota,
  };
}

const STATUS_FIELDS = {
  DECLINED: 'declined',
  WITHDRAWN: 'withdrawn',
  ACCEPTED: 'accepted',
  ACTIVE: 'active',
  COMPLETED: 'completed',
  TERMINATED: 'terminated',
} as const;

export async function evaluationRows(ctx: CityContext, agreementId: string) {
  const agreement = ctx.agreements.find((a) => a.id === agreementId);
  if (!agreement) throw notFound('No such agreement', { argument: 'agreement' });
  if (!agreement.parties.includes(ctx.principal.municipality)) {
    throw forbidden('Only the parties to an agreement see its evaluation report');
  }
  const empty = { agreementId, directions: [], costsByCategory: [], costsByPeriod: [], reconciliations: [] };
  if (!agreement.parties.includes(ctx.city.code)) return empty;

  const outgoing = await ctx.db.prisma.assignment.findMany({ where: { agreementId } });
  type Counts = Record<'proposed' | (typeof STATUS_FIELDS)[keyof typeof STATUS_FIELDS], number>;
  const directions = new Map<string, { counts: Counts; durations: number[] }>();
  for (const a of outgoing) {
    const row = directions.get(a.receivingMunicipality) ?? {
      counts: { proposed: 0, declined: 0, withdrawn: 0, accepted: 0, active: 0, completed: 0, terminated: 0 },
      durations: [],
    };
    row.counts.proposed += 1;
    if (a.status !== 'PROPOSED') row.counts[STATUS_FIELDS[a.status]] += 1;
    if (a.endedAt) row.durations.push((a.endedAt.getTime() - a.proposedAt.getTime()) / DAY_MS);
    directions.set(a.receivingMunicipality, row);
  }

  const costs = await ctx.db.prisma.costEntry.findMany({
    where: {
      assignment: {
        homeMunicipality: { in: agreement.parties },
        agreementId: agreement.id,
      },
    },
    include: { assignment: { select: { homeMunicipality: true } } },
  });
  const byCategory = new Map<string, Prisma.Decimal>();
  const byPeriod = new Map<string, Prisma.Decimal>();
  const add = (map: Map<string, Prisma.Decimal>, key: string, amount: Prisma.Decimal) =>
    map.set(key, (map.get(key) ?? new Prisma.Decimal(0)).plus(amount));
  for (const cost of costs) {
    const home = cost.assignment.homeMunicipality;
    add(byCategory, `${home}|${cost.category}`, cost.amount);
    const period = periodOf(agreement, dayOf(cost.date));
    if (period) add(byPeriod, `${home}|${period}`, cost.amount);
  }

  const settled = await ctx.db.prisma.reconciliation.findMany({
    where: { agreementId, municipalityA: ctx.city.code },
    orderBy: [{ municipalityB: 'asc' }, { period: 'asc' }],
  });

  return {
    agreementId,
    directions: [...directions].map(([receiving, { durations, counts }]) => ({
      homeMunicipality: ctx.city.code,
      receivingMunicipality: receiving,
      ...counts,
      averageDurationDays:
        durations.length > 0 ? (durations.reduce((s, d) => s + d, 0) / durations.length).toFixed(2) : null,
    })),
    costsByCategory: [...byCategory].map(([key, amount]) => {
      const [home, category] = key.split('|') as [string, string];
      return {
        homeMunicipality: home,
        receivingMunicipality: ctx.city.code,
        category,
        amount: money(amount),
      };
    }),
    costsByPeriod: [...byPeriod].map(([key, amount]) => {
      const [home, period] = key.split('|') as [string, string];
      return {
        homeMunicipality: home,
        receivingMunicipality: ctx.city.code,
        period: Number(period),
        amount: money(amount),
      };
    }),
    reconciliations: settled.map((r) =>
      present(
        {
          a: r.municipalityA,
          b: r.municipalityB,
          agreement,
          period: r.period,
          from: dayOf(r.periodFrom),
          to: dayOf(r.periodTo),
        },
        { costsBorneByA: r.costsBorneByA.toFixed(2), costsBorneByB: r.costsBorneByB.toFixed(2) },
        [r.confirmedByAAt && r.municipalityA, r.confirmedByBAt && r.municipalityB].filter((x): x is string =>
          Boolean(x),
        ),
        Boolean(r.settledAt),
      ),
    ),
  };
}

// Six-monthly cost reconciliation (rule 8) between two parties, held by the
// pair's lower municipality code: what each bore as receiving municipality
// for the other's assignments, the deviation from an equal split and, beyond
// the agreement's threshold, the equalisation payment. Settled once both
// parties confirmed the same figures; immutable after that.
import { badUserInput, forbidden, notFound } from '../../../schema/contract/errors';
import { isMunicipalityCode } from '../../../schema/contract/municipality';
import { money } from '../../../schema/contract/money';
import type { AgreementRecord } from '../../agreement/agreements';
import { enforce } from '../../agreement/enforce';
import {
  checkConfirmReconciliation,
  isWithin,
  reconcile,
  reconciliationPeriod,
  reconciliationPeriodEnded,
} from '../../agreement/rules';
import { dateColumn, dayOf, stockholmDay } from '../../clock';
import type { CityContext } from '../../context';
import { Prisma, type Reconciliation as StoredReconciliation } from '../../db/generated/client';
import { lockFor } from '../../db/locks';
import { callPeer } from '../../peer/call';

interface Pair {
  a: string;
  b: string;
  counterparty: string;
  agreement: AgreementRecord;
  period: number;
  from: string;
  to: string;
}

/** The agreement two parties reconcile under: the one in force, else the latest begun. */
export function agreementOfPair(agreements: readonly AgreementRecord[], a: string, b: string, today: string) {
  const shared = agreements
    .filter((x) => x.parties.includes(a) && x.parties.includes(b) && x.validFrom <= today)
    .sort((x, y) => (x.validFrom < y.validFrom ? 1 : -1));
  return shared.find((x) => today <= x.validTo) ?? shared[0] ?? null;
}

function resolvePair(
  ctx: CityContext,
  between: readonly string[],
  period: number,
  agreementId?: string | null,
): Pair {
  if (between.length !== 2 || !between.every(isMunicipalityCode) || between[0] === between[1]) {
    throw badUserInput('between must name two different municipality codes', { argument: 'between' });
  }
  const [a, b] = [...between].sort() as [string, string];
  if (a !== ctx.city.code)
    throw badUserInput(`Reconciliations of ${a} and ${b} are held by ${a}`, { argument: 'between' });
  if (ctx.principal.municipality !== a && ctx.principal.municipality !== b) {
    throw forbidden('Only the two parties may see or confirm their reconciliation');
  }
  const agreement = agreementId
    ? ctx.agreements.find((x) => x.id === agreementId && x.parties.includes(a) && x.parties.includes(b))
    : agreementOfPair(ctx.agreements, a, b, stockholmDay(ctx.now));
  if (!agreement) throw notFound(`No such agreement between ${a} and ${b}`, { argument: 'agreement' });
  if (!Number.isInteger(period) || period < 1)
    throw badUserInput('period must be 1 or more', { argument: 'period' });
  const { from, to } = reconciliationPeriod(agreement, period);
  return { a, b, counterparty: b, agreement, period, from, to };
}

/** What this city bore, as receiving municipality, for the counterparty's assignments. */
export async function costsBorneHere(
  ctx: CityContext,
  counterparty: string,
  agreementId: string,
  from: string,
  to: string,
): Promise<string> {
  const entries = await ctx.db.prisma.costEntry.findMany({
    where: {
      assignment: { homeMunicipality: counterparty, agreementId },
      date: { gte: dateColumn(from), lte: dateColumn(to) },
    },
    select: { amount: true, date: true },
  });
  return entries
    .filter((e) => isWithin(dayOf(e.date), from, to))
    .reduce((sum, e) => sum.plus(e.amount), new Prisma.Decimal(0))
    .toFixed(2);
}

async function liveFigures(ctx: CityContext, pair: Pair) {
  const [byA, byB] = await Promise.all([
    costsBorneHere(ctx, pair.counterparty, pair.agreement.id, pair.from, pair.to),
    callPeer<{ amount: string }>(ctx, pair.counterparty, {
      kind: 'costsBorne',
      counterparty: pair.a,
      agreementId: pair.agreement.id,
      from: pair.from,
      to: pair.to,
    }).then((r) => r.amount),
  ]);
  return { costsBorneByA: byA, costsBorneByB: byB };
}

const findStored = (ctx: CityContext, pair: Pair) =>
  ctx.db.prisma.reconciliation.findUnique({
    where: {
      agreementId_municipalityA_municipalityB_period: {
        agreementId: pair.agreement.id,
        municipalityA: pair.a,
        municipalityB: pair.b,
        period: pair.period,
      },
    },
  });

/** Confirmations count only for the figures they were given for. */
function confirmationsFor(
  stored: StoredReconciliation | null,
  figures: { costsBorneByA: string; costsBorneByB: string },
) {
  if (!stored) return [];
  if (
    !stored.settledAt &&
    (stored.costsBorneByA.toFixed(2) !== figures.costsBorneByA ||
      stored.costsBorneByB.toFixed(2) !== figures.costsBorneByB)
  ) {
    return [];
  }
  return [
    stored.confirmedByAAt && stored.municipalityA,
    stored.confirmedByBAt && stored.municipalityB,
  ].filter((x): x is string => Boolean(x));
}

export function present(
  pair: Pick<Pair, 'a' | 'b' | 'agreement' | 'period' | 'from' | 'to'>,
  figures: { costsBorneByA: string; costsBorneByB: string },
  confirmedBy: string[],
  settled: boolean,
) {
  const result = reconcile({
    a: pair.a,
    b: pair.b,
    ...figures,
    threshold: pair.agreement.equalisationThreshold,
  });
  return {
    agreementId: pair.agreement.id,
    between: [pair.a, pair.b],
    period: pair.period,
    periodFrom: pair.from,
    periodTo: pair.to,
    sides: [
      { municipality: pair.a, costsBorne: money(figures.costsBorneByA), deviation: money(result.deviationA) },
      { municipality: pair.b, costsBorne: money(figures.costsBorneByB), deviation: money(result.deviationB) },
    ],
    total: money(result.total),
    relativeDeviation: result.relativeDeviation,
    threshold: pair.agreement.equalisationThreshold,
    equalisation: result.equalisation && {
      amount: money(result.equalisation.amount),
      payer: result.equalisation.payer,
      payee: result.equalisation.payee,
    },
    confirmedBy,
    settled,
  };
}

const storedFigures = (stored: StoredReconciliation) => ({
  costsBorneByA: stored.costsBorneByA.toFixed(2),
  costsBorneByB: stored.costsBorneByB.toFixed(2),
});

export async function reconciliationOf(
  ctx: CityContext,
  between: readonly string[],
  period: number,
  agreementId?: string | null,
) {
  const pair = resolvePair(ctx, between, period, agreementId);
  const stored = await findStored(ctx, pair);
  if (stored?.settledAt) return present(pair, storedFigures(stored), [pair.a, pair.b], true);
  const figures = await liveFigures(ctx, pair);
  return present(pair, figures, confirmationsFor(stored, figures), false);
}

export async function confirmReconciliation(
  ctx: CityContext,
  between: readonly string[],
  period: number,
  agreementId?: string | null,
) {
  const pair = resolvePair(ctx, between, period, agreementId);
  const party = ctx.principal.municipality;
  const periodEnded = reconciliationPeriodEnded(pair.agreement, period, stockholmDay(ctx.now));
  const mayConfirm = (confirmedBy: string[]) =>
    enforce(
      checkConfirmReconciliation({ party, parties: [pair.a, pair.b], confirmedBy, periodEnded }),
      'Confirming the reconciliation',
    );
  // Refused early when already settled: no need to ask the other city for figures.
  const stored = await findStored(ctx, pair);
  if (stored?.settledAt) mayConfirm([pair.a, pair.b]);
  const figures = await liveFigures(ctx, pair);
  const id = `${pair.agreement.id}:${pair.a}:${pair.b}:${period}`;
  const confirmedBy = await ctx.db.prisma.$transaction(async (tx) => {
    // Serialised per reconciliation and decided on what is stored now, so a racing
    // confirmation is neither lost nor counted twice, and a settled one never changes.
    await lockFor(tx, `reconciliation:${id}`);
    const current = await tx.reconciliation.findUnique({ where: { id } });
    const before = confirmationsFor(current, figures);
    mayConfirm(before);
    const after = [...before, party].sort();
    const settled = after.includes(pair.a) && after.includes(pair.b);
    const data = {
      periodFrom: dateColumn(pair.from),
      periodTo: dateColumn(pair.to),
      costsBorneByA: figures.costsBorneByA,
      costsBorneByB: figures.costsBorneByB,
      confirmedByAAt: after.includes(pair.a) ? (current?.confirmedByAAt ?? ctx.now) : null,
      confirmedByBAt: after.includes(pair.b) ? (current?.confirmedByBAt ?? ctx.now) : null,
      settledAt: settled ? ctx.now : null,
    };
    await tx.reconciliation.upsert({
      where: { id },
      create: {
        id,
        agreementId: pair.agreement.id,
        municipalityA: pair.a,
        municipalityB: pair.b,
        period,
        ...data,
      },
      update: data,
    });
    return after;
  });
  return present(pair, figures, confirmedBy, confirmedBy.length === 2);
}

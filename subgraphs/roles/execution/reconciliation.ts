// Six-monthly cost reconciliation (rule 8) between two parties, held by the
// pair's lower municipality code: what each bore as receiving municipality
// for the other's assignments (gross, reimbursed from elsewhere, net), the
// deviation of the net costs from an equal split and, beyond the agreement's
// threshold, the equalisation payment. Settled once both parties confirmed
// the same figures; immutable after that. A party may decline, with a reason:
// the period stays open and shows as disputed.
import { GraphQLError } from 'graphql';
import { badUserInput, forbidden, notFound, subgraphUnavailable } from '../../../schema/contract/errors';
import type { AgreementRecord } from '../../../schema/contract/agreements';
import { isWithin } from '../../../schema/contract/dates';
import { isMunicipalityCode } from '../../../schema/contract/municipality';
import { money } from '../../../schema/contract/money';
import { enforce } from '../../agreement/enforce';
import {
  checkConfirmReconciliation,
  checkDeclineReconciliation,
  hasReconciliationPeriod,
  parseAmount,
  reconcile,
  reconciliationPeriod,
  reconciliationPeriodEnded,
  reconciliationStatus,
} from '../../agreement/rules';
import { dateColumn, dayOf, stockholmDay } from '../../clock';
import type { CityContext } from '../../context';
import { lockFor } from '../../db/advisoryLock';
import {
  Prisma,
  type PrismaClient,
  type Reconciliation as StoredReconciliation,
} from '../../db/generated/client';
import { askPeer } from '../../peer/ask';

type Reader = PrismaClient | Prisma.TransactionClient;

export interface Pair {
  a: string;
  b: string;
  counterparty: string;
  agreement: AgreementRecord;
  period: number;
  from: string;
  to: string;
}

/** What one side bore, as decimal strings with two decimals. */
export interface Borne {
  gross: string;
  reimbursed: string;
  net: string;
}

interface Figures {
  byA: Borne;
  byB: Borne;
  /** Whether the counterparty's own sums equal byB and byA; null when it gave none. */
  counterpartyAgrees: boolean | null;
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
    throw forbidden('Only the two parties may see or confirm their reconciliation', {
      rules: ['NOT_A_PARTY_TO_RECONCILIATION'],
    });
  }
  const agreement = agreementId
    ? ctx.agreements.find((x) => x.id === agreementId && x.parties.includes(a) && x.parties.includes(b))
    : agreementOfPair(ctx.agreements, a, b, stockholmDay(ctx.now));
  if (!agreement) throw notFound(`No such agreement between ${a} and ${b}`, { argument: 'agreement' });
  if (!hasReconciliationPeriod(agreement, period))
    throw badUserInput(`Agreement ${agreement.id} has no reconciliation period ${period}`, {
      argument: 'period',
    });
  const { from, to } = reconciliationPeriod(agreement, period);
  return { a, b, counterparty: b, agreement, period, from, to };
}

/** Gross, reimbursed and net of the amounts given. */
function sumOf(
  amounts: readonly { gross: string | Prisma.Decimal; reimbursed: string | Prisma.Decimal }[],
): Borne {
  const gross = amounts.reduce((sum, a) => sum.plus(a.gross), new Prisma.Decimal(0));
  const reimbursed = amounts.reduce((sum, a) => sum.plus(a.reimbursed), new Prisma.Decimal(0));
  return {
    gross: gross.toFixed(2),
    reimbursed: reimbursed.toFixed(2),
    net: gross.minus(reimbursed).toFixed(2),
  };
}

/**
 * What this city bore, as receiving municipality, for the counterparty's
 * assignments in a period, as it reported them: each cost as last reported
 * and not refused. A cost the home city refused (its rules said no, say one
 * dated after the assignment ended on its calendar) is in neither party's
 * figures; it stays in this city's books, its refusal kept with the message.
 * A cost booked with no report at all (before the cities exchanged messages)
 * counts as booked: the consistency check's repairs carry it.
 */
export async function costsBorneFor(
  db: Reader,
  counterparty: string,
  agreementId: string,
  { from, to }: { from: string; to: string },
): Promise<Borne> {
  // Hand-written SQL: the last report of each cost is a lateral join on the outbox, which Prisma cannot express.
  const counted = await db.$queryRaw<{ gross: string; reimbursed: string }[]>`
    SELECT COALESCE(last.gross, e.amount::text) AS gross, COALESCE(last.reimbursed, e.reimbursed::text) AS reimbursed
      FROM cost_entry e
      JOIN incoming_assignment a ON a.id = e.assignment_id
      LEFT JOIN LATERAL (
        SELECT o.payload->>'gross' AS gross, o.payload->>'reimbursed' AS reimbursed
          FROM outbox o
         WHERE o.assignment_id = e.assignment_id AND o.kind = 'costReported' AND o.payload->>'costId' = e.id
           AND o.outcome IS DISTINCT FROM 'refused'
         ORDER BY o.sequence DESC
         LIMIT 1
      ) last ON true
     WHERE a.home_municipality = ${counterparty} AND a.agreement_id = ${agreementId}
       AND e.date BETWEEN ${from}::date AND ${to}::date
       AND (last.gross IS NOT NULL OR NOT EXISTS (
             SELECT 1 FROM outbox o
              WHERE o.assignment_id = e.assignment_id AND o.kind = 'costReported' AND o.payload->>'costId' = e.id))`;
  return sumOf(counted);
}

/**
 * What `receiving` bore for this city's assignments, as this city knows it:
 * the sum of the cost reports it received and checked against its decided
 * plans when they arrived (rule 7). The receiving city's own sum is compared
 * with this, never taken in its place.
 */
export async function costsReportedBy(
  db: Reader,
  receiving: string,
  agreementId: string,
  { from, to }: { from: string; to: string },
): Promise<Borne> {
  const reports = await db.costReport.findMany({
    where: {
      assignment: { receivingMunicipality: receiving, agreementId },
      date: { gte: dateColumn(from), lte: dateColumn(to) },
    },
    select: { gross: true, reimbursed: true, date: true },
  });
  return sumOf(reports.filter((r) => isWithin(dayOf(r.date), from, to)));
}

/** A pair member's answer: what it bore for the asker, and what it holds of the asker's reports. */
export interface CostsBorneAnswer extends Borne {
  reported: Borne;
}

/** Both sums the asking city compares, from this city's books. */
export async function costsBorneAnswer(
  db: Reader,
  asker: string,
  agreementId: string,
  period: { from: string; to: string },
): Promise<CostsBorneAnswer> {
  const [borne, reported] = await Promise.all([
    costsBorneFor(db, asker, agreementId, period),
    costsReportedBy(db, asker, agreementId, period),
  ]);
  return { ...borne, reported };
}

/**
 * The other city's figures as it answered them, when they are figures: three
 * amounts of whole öre, none negative, the net what is left of the gross
 * once reimbursed. Anything else is no answer.
 */
export function borneFrom(answer: unknown): Borne | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { gross, reimbursed, net } = answer as Record<string, unknown>;
  if (typeof gross !== 'string' || typeof reimbursed !== 'string' || typeof net !== 'string') return null;
  const [g, r, n] = [gross, reimbursed, net].map((value) =>
    /^\d+\.\d{2}$/.test(value) ? parseAmount(value) : null,
  );
  if (!g || !r || !n || !g.minus(r).equals(n) || n.isNegative()) return null;
  return { gross, reimbursed, net };
}

/** A pair member's answer when it is one: its own figures, and what it holds of the asker's. */
export function costsBorneAnswerFrom(answer: unknown): CostsBorneAnswer | null {
  const borne = borneFrom(answer);
  const reported = borneFrom((answer as { reported?: unknown } | null)?.reported);
  return borne && reported && { ...borne, reported };
}

/** Both sides as this city holds them: what it reported and was not refused, what it checked of the other's. */
async function ownFigures(db: Reader, pair: Pair): Promise<Pick<Figures, 'byA' | 'byB'>> {
  const [byA, byB] = await Promise.all([
    costsBorneFor(db, pair.counterparty, pair.agreement.id, pair),
    costsReportedBy(db, pair.counterparty, pair.agreement.id, pair),
  ]);
  return { byA, byB };
}

const sameBorne = (x: Borne, y: Borne) =>
  new Prisma.Decimal(x.gross).equals(y.gross) && new Prisma.Decimal(x.reimbursed).equals(y.reimbursed);

/**
 * The period's figures: what each party bore as it reported it to the other
 * and the other did not refuse, the counterparty's side from the reports this
 * city checked when they arrived. The counterparty is asked for its own two
 * sums (what it reported, and what it holds of this city's reports) only to
 * compare: a difference is a report still on its way, or a cost one side
 * holds and the other does not, and no party confirms figures while they
 * differ. `ask: false` leaves the counterparty unasked.
 */
async function liveFigures(ctx: CityContext, pair: Pair, { ask = true } = {}): Promise<Figures> {
  const [{ byA, byB }, answer] = await Promise.all([
    ownFigures(ctx.db.prisma, pair),
    ask
      ? askPeer(ctx, pair.counterparty, {
          kind: 'costsBorne',
          counterparty: pair.a,
          agreementId: pair.agreement.id,
          from: pair.from,
          to: pair.to,
        }).catch((error: unknown) => {
          // A counterparty that is down or refuses leaves the figures readable, unconfirmable.
          if (!(error instanceof GraphQLError)) throw error;
          ctx.log?.warn(
            { counterparty: pair.counterparty, code: error.extensions.code },
            'reconciliation figures not compared: the counterparty gave no answer',
          );
          return null;
        })
      : null,
  ]);
  const theirs = costsBorneAnswerFrom(answer);
  if (answer !== null && !theirs)
    ctx.log?.warn(
      { counterparty: pair.counterparty },
      'reconciliation figures not compared: the answer is not figures',
    );
  return {
    byA,
    byB,
    counterpartyAgrees: theirs && sameBorne(theirs, byB) && sameBorne(theirs.reported, byA),
  };
}

const findStored = (db: Reader, pair: Pick<Pair, 'a' | 'b' | 'agreement' | 'period'>) =>
  db.reconciliation.findUnique({
    where: {
      agreementId_municipalityA_municipalityB_period: {
        agreementId: pair.agreement.id,
        municipalityA: pair.a,
        municipalityB: pair.b,
        period: pair.period,
      },
    },
  });

const storedFigures = (stored: StoredReconciliation): Figures => ({
  byA: {
    gross: stored.grossBorneByA.toFixed(2),
    reimbursed: stored.grossBorneByA.minus(stored.costsBorneByA).toFixed(2),
    net: stored.costsBorneByA.toFixed(2),
  },
  byB: {
    gross: stored.grossBorneByB.toFixed(2),
    reimbursed: stored.grossBorneByB.minus(stored.costsBorneByB).toFixed(2),
    net: stored.costsBorneByB.toFixed(2),
  },
  // Settled figures were the same on both sides when the second party confirmed them.
  counterpartyAgrees: true,
});

/** Confirmations count only for the figures they were given for. */
function confirmationsFor(stored: StoredReconciliation | null, figures: Figures) {
  if (!stored) return [];
  if (
    !stored.settledAt &&
    (stored.costsBorneByA.toFixed(2) !== figures.byA.net ||
      stored.costsBorneByB.toFixed(2) !== figures.byB.net ||
      stored.grossBorneByA.toFixed(2) !== figures.byA.gross ||
      stored.grossBorneByB.toFixed(2) !== figures.byB.gross)
  ) {
    return [];
  }
  return [
    stored.confirmedByAAt && stored.municipalityA,
    stored.confirmedByBAt && stored.municipalityB,
  ].filter((x): x is string => Boolean(x));
}

function declinesOf(stored: StoredReconciliation | null) {
  if (!stored) return [];
  return [
    stored.declinedByAAt && {
      municipality: stored.municipalityA,
      reason: stored.declinedByAReason!,
      at: stored.declinedByAAt,
    },
    stored.declinedByBAt && {
      municipality: stored.municipalityB,
      reason: stored.declinedByBReason!,
      at: stored.declinedByBAt,
    },
  ].filter((x): x is { municipality: string; reason: string; at: Date } => Boolean(x));
}

export function present(
  pair: Pick<Pair, 'a' | 'b' | 'agreement' | 'period' | 'from' | 'to'>,
  figures: Figures,
  confirmedBy: string[],
  declinedBy: { municipality: string; reason: string; at: Date }[],
) {
  const result = reconcile({
    a: pair.a,
    b: pair.b,
    costsBorneByA: figures.byA.net,
    costsBorneByB: figures.byB.net,
    threshold: pair.agreement.equalisationThreshold,
  });
  const side = (municipality: string, borne: Borne, deviation: string) => ({
    municipality,
    gross: money(borne.gross),
    reimbursed: money(borne.reimbursed),
    costsBorne: money(borne.net),
    deviation: money(deviation),
  });
  const status = reconciliationStatus({
    parties: [pair.a, pair.b],
    confirmedBy,
    declinedBy: declinedBy.map((d) => d.municipality),
  });
  return {
    agreementId: pair.agreement.id,
    between: [pair.a, pair.b],
    period: pair.period,
    periodFrom: pair.from,
    periodTo: pair.to,
    sides: [side(pair.a, figures.byA, result.deviationA), side(pair.b, figures.byB, result.deviationB)],
    total: money(result.total),
    relativeDeviation: result.relativeDeviation,
    threshold: pair.agreement.equalisationThreshold,
    equalisation: result.equalisation && {
      amount: money(result.equalisation.amount),
      payer: result.equalisation.payer,
      payee: result.equalisation.payee,
    },
    counterpartyAgrees: figures.counterpartyAgrees,
    confirmedBy,
    declinedBy,
    status,
    settled: status === 'SETTLED',
  };
}

export async function reconciliationOf(
  ctx: CityContext,
  between: readonly string[],
  period: number,
  agreementId?: string | null,
) {
  return reconciliationOfPair(ctx, resolvePair(ctx, between, period, agreementId));
}

/** A pair's period as it stands: stored figures once settled, live ones before. */
export async function reconciliationOfPair(ctx: CityContext, pair: Pair, options: { ask?: boolean } = {}) {
  const stored = await findStored(ctx.db.prisma, pair);
  if (stored?.settledAt) return present(pair, storedFigures(stored), [pair.a, pair.b], []);
  const figures = await liveFigures(ctx, pair, options);
  return present(pair, figures, confirmationsFor(stored, figures), declinesOf(stored));
}

const idOf = (pair: Pick<Pair, 'a' | 'b' | 'agreement' | 'period'>) =>
  `${pair.agreement.id}:${pair.a}:${pair.b}:${pair.period}`;

export async function confirmReconciliation(
  ctx: CityContext,
  between: readonly string[],
  period: number,
  agreementId?: string | null,
) {
  const pair = resolvePair(ctx, between, period, agreementId);
  const party = ctx.principal.municipality;
  const periodEnded = reconciliationPeriodEnded(pair.agreement, period, stockholmDay(ctx.now));
  const mayConfirm = (confirmedBy: string[], figuresAgree: boolean | null) =>
    enforce(
      checkConfirmReconciliation({
        party,
        parties: [pair.a, pair.b],
        confirmedBy,
        periodEnded,
        figuresAgree,
      }),
      'Confirming the reconciliation',
    );
  // Refused early when already settled: no need to ask the other city for figures.
  const stored = await findStored(ctx.db.prisma, pair);
  if (stored?.settledAt) mayConfirm([pair.a, pair.b], null);
  const figures = await liveFigures(ctx, pair);
  const id = idOf(pair);
  const { confirmedBy, declinedBy } = await ctx.db.prisma.$transaction(async (tx) => {
    // Serialised per reconciliation and decided on what is stored now, so a racing
    // confirmation is neither lost nor counted twice, and a settled one never changes.
    await lockFor(tx, `reconciliation:${id}`);
    const current = await tx.reconciliation.findUnique({ where: { id } });
    const before = confirmationsFor(current, figures);
    // A report taken in since the counterparty was asked (under this lock from now on) was not compared.
    const { byA, byB } = await ownFigures(tx, pair);
    const unchanged = sameBorne(byA, figures.byA) && sameBorne(byB, figures.byB);
    mayConfirm(before, figures.counterpartyAgrees === null ? null : figures.counterpartyAgrees && unchanged);
    if (figures.counterpartyAgrees === null)
      throw subgraphUnavailable(pair.counterparty, 'gave no figures of its own to compare');
    const after = [...before, party].sort();
    const settled = after.includes(pair.a) && after.includes(pair.b);
    // Confirming takes back the party's own earlier refusal.
    const clearsA = party === pair.a;
    const data = {
      periodFrom: dateColumn(pair.from),
      periodTo: dateColumn(pair.to),
      costsBorneByA: figures.byA.net,
      costsBorneByB: figures.byB.net,
      grossBorneByA: figures.byA.gross,
      grossBorneByB: figures.byB.gross,
      confirmedByAAt: after.includes(pair.a) ? (current?.confirmedByAAt ?? ctx.now) : null,
      confirmedByBAt: after.includes(pair.b) ? (current?.confirmedByBAt ?? ctx.now) : null,
      ...(clearsA
        ? { declinedByAAt: null, declinedByAReason: null }
        : { declinedByBAt: null, declinedByBReason: null }),
      settledAt: settled ? ctx.now : null,
    };
    const saved = await tx.reconciliation.upsert({
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
    return { confirmedBy: after, declinedBy: declinesOf(saved) };
  });
  return present(pair, figures, confirmedBy, declinedBy);
}

export async function declineReconciliation(
  ctx: CityContext,
  between: readonly string[],
  period: number,
  reason: string,
  agreementId?: string | null,
) {
  const pair = resolvePair(ctx, between, period, agreementId);
  const party = ctx.principal.municipality;
  const periodEnded = reconciliationPeriodEnded(pair.agreement, period, stockholmDay(ctx.now));
  const figures = await liveFigures(ctx, pair);
  const id = idOf(pair);
  const saved = await ctx.db.prisma.$transaction(async (tx) => {
    await lockFor(tx, `reconciliation:${id}`);
    const current = await tx.reconciliation.findUnique({ where: { id } });
    const confirmedBy = current?.settledAt ? [pair.a, pair.b] : confirmationsFor(current, figures);
    enforce(
      checkDeclineReconciliation({
        party,
        parties: [pair.a, pair.b],
        periodEnded,
        confirmedBy,
        declinedBy: declinesOf(current).map((d) => d.municipality),
        reason,
      }),
      'Declining the reconciliation',
    );
    const mine = party === pair.a;
    // The other party's confirmation stands only for the figures it was given for.
    const otherStands = confirmationsFor(current, figures).includes(mine ? pair.b : pair.a);
    const data = {
      periodFrom: dateColumn(pair.from),
      periodTo: dateColumn(pair.to),
      costsBorneByA: figures.byA.net,
      costsBorneByB: figures.byB.net,
      grossBorneByA: figures.byA.gross,
      grossBorneByB: figures.byB.gross,
      // Declining takes back the party's own confirmation.
      ...(mine
        ? { declinedByAAt: ctx.now, declinedByAReason: reason.trim(), confirmedByAAt: null }
        : { declinedByBAt: ctx.now, declinedByBReason: reason.trim(), confirmedByBAt: null }),
      ...(otherStands ? {} : mine ? { confirmedByBAt: null } : { confirmedByAAt: null }),
    };
    return tx.reconciliation.upsert({
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
  });
  return present(pair, figures, confirmationsFor(saved, figures), declinesOf(saved));
}

/**
 * Whether the pair of this city and `home` settled a period: decided under the
 * reconciliation's lock in `tx` where this city holds the pair, else asked of
 * the holder (which decides its own settlement on what it holds).
 */
export async function periodSettled(
  ctx: CityContext,
  tx: Prisma.TransactionClient,
  home: string,
  agreement: AgreementRecord,
  period: number,
): Promise<boolean> {
  if (ctx.city.code < home) return settledHereLocked(tx, ctx.city.code, home, { agreement, period });
  const answer = await askPeer<{ settled: boolean }>(ctx, home, {
    kind: 'reconciliationSettled',
    agreementId: agreement.id,
    period,
  });
  return answer.settled;
}

/**
 * Whether this city, holding the pair with `other`, has settled the period,
 * decided under the reconciliation's lock: a change that depends on the
 * answer commits before a confirmation that would settle it, or not at all.
 */
export async function settledHereLocked(
  tx: Prisma.TransactionClient,
  city: string,
  other: string,
  { agreement, period }: { agreement: AgreementRecord; period: number },
): Promise<boolean> {
  if (!(city < other)) return false;
  await lockFor(tx, `reconciliation:${idOf({ a: city, b: other, agreement, period })}`);
  return settledHere(tx, city, other, { agreementId: agreement.id, period });
}

/** Whether this city, holding the pair with `other`, has a settled reconciliation for the period. */
export async function settledHere(
  db: Reader,
  city: string,
  other: string,
  { agreementId, period }: { agreementId: string; period: number },
): Promise<boolean> {
  if (!(city < other)) return false;
  const stored = await db.reconciliation.findUnique({
    where: {
      agreementId_municipalityA_municipalityB_period: {
        agreementId,
        municipalityA: city,
        municipalityB: other,
        period,
      },
    },
    select: { settledAt: true },
  });
  return Boolean(stored?.settledAt);
}

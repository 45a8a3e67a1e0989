// The joint evaluation report as CSV: one table, one row per figure, a
// `section` column saying which part of the report the row belongs to.
// Figures withheld for privacy are written as the word `suppressed`, never as
// an empty cell or a zero. Written by hand: quoting a few known columns needs
// no CSV library; neutralising formulas is the part a library would not do.
import { Decimal } from 'decimal.js';

export const EVALUATION_REPORT_QUERY = /* GraphQL */ `
  query EvaluationReport($agreement: ID!) {
    evaluationReport(agreement: $agreement) {
      agreementId
      directions {
        homeMunicipality
        receivingMunicipality
        everProposed
        proposed
        declined
        withdrawn
        accepted
        active
        completed
        terminated
        beyondAim
        averageDurationDays
        suppressedFields
      }
      directionsByPeriod {
        homeMunicipality
        receivingMunicipality
        period
        proposed
        declined
        withdrawn
        accepted
        active
        completed
        terminated
        suppressedFields
      }
      costsByCategory {
        homeMunicipality
        receivingMunicipality
        category
        gross {
          amount
        }
        reimbursed {
          amount
        }
        net {
          amount
        }
        assignments
        suppressedFields
      }
      costsByPeriod {
        homeMunicipality
        receivingMunicipality
        period
        gross {
          amount
        }
        reimbursed {
          amount
        }
        net {
          amount
        }
        assignments
        suppressedFields
      }
      reconciliations {
        between
        period
        periodFrom
        periodTo
        sides {
          municipality
          gross {
            amount
          }
          reimbursed {
            amount
          }
          costsBorne {
            amount
          }
        }
        total {
          amount
        }
        relativeDeviation
        equalisation {
          amount {
            amount
          }
          payer
          payee
        }
        status
        counterpartyAgrees
      }
    }
  }
`;

interface Money {
  amount: string;
}

type Suppressible = { suppressedFields: string[] };
type StatusField = 'proposed' | 'declined' | 'withdrawn' | 'accepted' | 'active' | 'completed' | 'terminated';

export interface EvaluationReportData {
  agreementId: string;
  directions: ({
    homeMunicipality: string;
    receivingMunicipality: string;
    averageDurationDays: string | null;
  } & Record<StatusField | 'everProposed' | 'beyondAim', number | null> &
    Suppressible)[];
  directionsByPeriod: ({
    homeMunicipality: string;
    receivingMunicipality: string;
    period: number;
  } & Record<StatusField, number | null> &
    Suppressible)[];
  costsByCategory: ({
    homeMunicipality: string;
    receivingMunicipality: string;
    category: string;
    gross: Money | null;
    reimbursed: Money | null;
    net: Money | null;
    assignments: number | null;
  } & Suppressible)[];
  costsByPeriod: ({
    homeMunicipality: string;
    receivingMunicipality: string;
    period: number;
    gross: Money | null;
    reimbursed: Money | null;
    net: Money | null;
    assignments: number | null;
  } & Suppressible)[];
  reconciliations: {
    between: string[];
    period: number;
    periodFrom: string;
    periodTo: string;
    sides: { municipality: string; gross: Money; reimbursed: Money; costsBorne: Money }[];
    total: Money;
    relativeDeviation: string;
    equalisation: { amount: Money; payer: string; payee: string } | null;
    status: string;
    counterpartyAgrees: boolean | null;
  }[];
}

/** The columns, each saying what it counts. */
export const CSV_COLUMNS = [
  'agreement',
  'section',
  'homeMunicipality',
  'receivingMunicipality',
  'category',
  'period',
  'periodFrom',
  'periodTo',
  // Directions: every proposal ever made, then assignments by their status now (each counted once).
  'everProposed',
  'nowProposed',
  'nowDeclined',
  'nowWithdrawn',
  'nowAccepted',
  'nowActive',
  'nowCompleted',
  'nowTerminated',
  'beyondAim',
  'averageDurationDays',
  // Costs: the assignments a figure sums over, gross, reimbursed from elsewhere, net (SEK).
  'assignments',
  'grossSek',
  'reimbursedSek',
  'netSek',
  // Reconciliation: the net each side bore, the deviation and the equalisation due.
  'netBorneByFirstSek',
  'netBorneBySecondSek',
  'relativeDeviation',
  'equalisationSek',
  'equalisationPayer',
  'equalisationPayee',
  'reconciliationStatus',
  'reconciliationFiguresAgree',
] as const;

type Column = (typeof CSV_COLUMNS)[number];

/** What each column holds; docs/integrating.md's column table is generated from this (npm run docs). */
export const CSV_COLUMN_MEANINGS: Record<Column, string> = {
  agreement: 'The agreement the report is about.',
  section:
    '`direction` (assignments from one municipality to another), `direction-by-period` (the proposals of one period by their status now), `cost-by-category`, `cost-by-period` or `reconciliation` (one ended period of a pair).',
  homeMunicipality:
    'The home municipality; in a `reconciliation` row the first of the pair (the lower code).',
  receivingMunicipality: 'The receiving municipality; in a `reconciliation` row the second of the pair.',
  category: 'The intervention category (`cost-by-category` rows).',
  period:
    'The reconciliation period: 1 is the first six months of the agreement; in a `direction-by-period` row the period the proposals were made in.',
  periodFrom: 'The period’s first day (`reconciliation` rows).',
  periodTo: 'The period’s last day (`reconciliation` rows).',
  everProposed: 'Every proposal ever made in this direction, whatever became of it.',
  nowProposed:
    'Assignments whose status is now `PROPOSED` (not yet answered); each assignment counts in one `now…` column only.',
  nowDeclined: 'Assignments now `DECLINED`.',
  nowWithdrawn: 'Assignments now `WITHDRAWN`.',
  nowAccepted: 'Assignments now `ACCEPTED` (plan not yet decided).',
  nowActive: 'Assignments now `ACTIVE`.',
  nowCompleted: 'Assignments now `COMPLETED`.',
  nowTerminated: 'Assignments now `TERMINATED`.',
  beyondAim: 'Proposals made beyond the agreement’s aim, with a stated reason.',
  averageDurationDays: 'Average days from proposal to end, over ended assignments.',
  assignments: 'The assignments a cost figure sums over.',
  grossSek: 'Costs booked (SEK); in a `reconciliation` row both sides together.',
  reimbursedSek:
    'Part of the costs reimbursed from elsewhere, such as state funding through the police (SEK).',
  netSek: 'Gross less reimbursed (SEK): what the parties bore.',
  netBorneByFirstSek: 'What the first of the pair bore, net (SEK).',
  netBorneBySecondSek: 'What the second of the pair bore, net (SEK).',
  relativeDeviation: 'Deviation from an equal split, as a share of the total.',
  equalisationSek:
    'The equalisation payment due, settled or not (SEK); empty when the deviation is within the agreement’s threshold.',
  equalisationPayer: 'Who pays the equalisation.',
  equalisationPayee: 'Who receives it.',
  reconciliationStatus:
    '`OPEN`, `CONFIRMED_BY_ONE`, `SETTLED` (both confirmed; final) or `DISPUTED` (a party declined, saying why).',
  reconciliationFiguresAgree:
    '`true` when both parties’ own sums of what each reported to the other agree (always, once settled), `false` while they differ (a report on its way, or a cost one side holds and the other does not), empty when the other party gave no answer to compare with.',
};
type Row = Partial<Record<Column, string | number | boolean | null>>;

/**
 * A cell a spreadsheet shows as text: a value starting with =, +, -, @, a
 * tab or a carriage return would otherwise be run as a formula.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  // Numbers we wrote ourselves are data; everything else is neutralised first.
  const text = typeof value === 'number' ? String(value) : neutralise(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const SUPPRESSED = 'suppressed';

/** A figure as written: the value, or `suppressed` when withheld for privacy. */
function figure<T>(row: Suppressible, field: string, value: T): T | typeof SUPPRESSED {
  return row.suppressedFields.includes(field) ? SUPPRESSED : value;
}

export function evaluationReportCsv(report: EvaluationReportData): string {
  const agreement = report.agreementId;
  const costRow = (
    section: string,
    c: EvaluationReportData['costsByCategory'][number] & { period?: number },
  ) => ({
    agreement,
    section,
    homeMunicipality: c.homeMunicipality,
    receivingMunicipality: c.receivingMunicipality,
    assignments: figure(c, 'assignments', c.assignments),
    grossSek: figure(c, 'gross', c.gross?.amount ?? null),
    reimbursedSek: figure(c, 'reimbursed', c.reimbursed?.amount ?? null),
    netSek: figure(c, 'net', c.net?.amount ?? null),
  });
  const statusNow = (d: Suppressible & Record<StatusField, number | null>) => ({
    nowProposed: figure(d, 'proposed', d.proposed),
    nowDeclined: figure(d, 'declined', d.declined),
    nowWithdrawn: figure(d, 'withdrawn', d.withdrawn),
    nowAccepted: figure(d, 'accepted', d.accepted),
    nowActive: figure(d, 'active', d.active),
    nowCompleted: figure(d, 'completed', d.completed),
    nowTerminated: figure(d, 'terminated', d.terminated),
  });
  const rows: Row[] = [
    ...report.directions.map((d) => ({
      agreement,
      section: 'direction',
      homeMunicipality: d.homeMunicipality,
      receivingMunicipality: d.receivingMunicipality,
      everProposed: figure(d, 'everProposed', d.everProposed),
      ...statusNow(d),
      beyondAim: figure(d, 'beyondAim', d.beyondAim),
      averageDurationDays: figure(d, 'averageDurationDays', d.averageDurationDays),
    })),
    ...report.directionsByPeriod.map((d) => ({
      agreement,
      section: 'direction-by-period',
      homeMunicipality: d.homeMunicipality,
      receivingMunicipality: d.receivingMunicipality,
      period: d.period,
      ...statusNow(d),
    })),
    ...report.costsByCategory.map((c) => ({ ...costRow('cost-by-category', c), category: c.category })),
    ...report.costsByPeriod.map((c) => ({
      ...costRow('cost-by-period', { ...c, category: '' }),
      period: c.period,
    })),
    ...report.reconciliations.map((r) => ({
      agreement,
      section: 'reconciliation',
      homeMunicipality: r.between[0],
      receivingMunicipality: r.between[1],
      period: r.period,
      periodFrom: r.periodFrom,
      periodTo: r.periodTo,
      grossSek: r.sides.reduce((sum, s) => sum.plus(s.gross.amount), new Decimal(0)).toFixed(2),
      netSek: r.total.amount,
      netBorneByFirstSek: r.sides[0]?.costsBorne.amount ?? null,
      netBorneBySecondSek: r.sides[1]?.costsBorne.amount ?? null,
      relativeDeviation: r.relativeDeviation,
      equalisationSek: r.equalisation?.amount.amount ?? null,
      equalisationPayer: r.equalisation?.payer ?? null,
      equalisationPayee: r.equalisation?.payee ?? null,
      reconciliationStatus: r.status,
      reconciliationFiguresAgree: r.counterpartyAgrees,
    })),
  ];
  const lines = [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => cell(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

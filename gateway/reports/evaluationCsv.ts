// The joint evaluation report as CSV: one table, one row per figure, a
// `section` column saying which part of the report the row belongs to.
// Written by hand: quoting a few known columns needs no CSV library.

export const EVALUATION_REPORT_QUERY = /* GraphQL */ `
  query EvaluationReport($agreement: ID!) {
    evaluationReport(agreement: $agreement) {
      agreementId
      directions {
        homeMunicipality
        receivingMunicipality
        proposed
        declined
        withdrawn
        accepted
        active
        completed
        terminated
        averageDurationDays
      }
      costsByCategory {
        homeMunicipality
        receivingMunicipality
        category
        amount {
          amount
          currency
        }
      }
      costsByPeriod {
        homeMunicipality
        receivingMunicipality
        period
        amount {
          amount
          currency
        }
      }
      reconciliations {
        between
        period
        total {
          amount
          currency
        }
        relativeDeviation
        equalisation {
          amount {
            amount
          }
          payer
          payee
        }
        settled
      }
    }
  }
`;

interface Money {
  amount: string;
  currency?: string;
}

export interface EvaluationReportData {
  agreementId: string;
  directions: ({
    homeMunicipality: string;
    receivingMunicipality: string;
    averageDurationDays: string | null;
  } & Record<
    'proposed' | 'declined' | 'withdrawn' | 'accepted' | 'active' | 'completed' | 'terminated',
    number
  >)[];
  costsByCategory: {
    homeMunicipality: string;
    receivingMunicipality: string;
    category: string;
    amount: Money;
  }[];
  costsByPeriod: { homeMunicipality: string; receivingMunicipality: string; period: number; amount: Money }[];
  reconciliations: {
    between: string[];
    period: number;
    total: Money;
    relativeDeviation: string;
    equalisation: { amount: Money; payer: string; payee: string } | null;
    settled: boolean;
  }[];
}

export const CSV_COLUMNS = [
  'agreement',
  'section',
  'homeMunicipality',
  'receivingMunicipality',
  'category',
  'period',
  'proposed',
  'declined',
  'withdrawn',
  'accepted',
  'active',
  'completed',
  'terminated',
  'averageDurationDays',
  'amount',
  'currency',
  'relativeDeviation',
  'equalisationAmount',
  'equalisationPayer',
  'equalisationPayee',
  'settled',
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>>;

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function evaluationReportCsv(report: EvaluationReportData): string {
  const agreement = report.agreementId;
  const rows: Row[] = [
    ...report.directions.map((d) => ({ agreement, section: 'direction', ...d })),
    ...report.costsByCategory.map((c) => ({
      agreement,
      section: 'cost-by-category',
      homeMunicipality: c.homeMunicipality,
      receivingMunicipality: c.receivingMunicipality,
      category: c.category,
      amount: c.amount.amount,
      currency: c.amount.currency ?? 'SEK',
    })),
    ...report.costsByPeriod.map((c) => ({
      agreement,
      section: 'cost-by-period',
      homeMunicipality: c.homeMunicipality,
      receivingMunicipality: c.receivingMunicipality,
      period: c.period,
      amount: c.amount.amount,
      currency: c.amount.currency ?? 'SEK',
    })),
    ...report.reconciliations.map((r) => ({
      agreement,
      section: 'reconciliation',
      homeMunicipality: r.between[0],
      receivingMunicipality: r.between[1],
      period: r.period,
      amount: r.total.amount,
      currency: r.total.currency ?? 'SEK',
      relativeDeviation: r.relativeDeviation,
      equalisationAmount: r.equalisation?.amount.amount ?? null,
      equalisationPayer: r.equalisation?.payer ?? null,
      equalisationPayee: r.equalisation?.payee ?? null,
      settled: r.settled,
    })),
  ];
  const lines = [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => cell(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

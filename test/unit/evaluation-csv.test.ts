// The evaluation report's CSV: one header, one row per figure, quoted where needed.
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, evaluationReportCsv } from '../../gateway/reports/evaluationCsv';

describe('the evaluation report as CSV', () => {
  it('writes every section under one header, with empty cells where a column does not apply', () => {
    const csv = evaluationReportCsv({
      agreementId: 'avtal, 2023',
      directions: [
        {
          homeMunicipality: '0180',
          receivingMunicipality: '1280',
          proposed: 2,
          declined: 1,
          withdrawn: 0,
          accepted: 0,
          active: 0,
          completed: 1,
          terminated: 0,
          averageDurationDays: '210.50',
        },
      ],
      costsByCategory: [
        {
          homeMunicipality: '0180',
          receivingMunicipality: '1280',
          category: 'WORK_ORIENTED',
          amount: { amount: '14600.50', currency: 'SEK' },
        },
      ],
      costsByPeriod: [
        {
          homeMunicipality: '0180',
          receivingMunicipality: '1280',
          period: 2,
          amount: { amount: '12500.00' },
        },
      ],
      reconciliations: [
        {
          between: ['0180', '1280'],
          period: 1,
          total: { amount: '41200.50', currency: 'SEK' },
          relativeDeviation: '0.4563',
          equalisation: { amount: { amount: '9399.75' }, payer: '1280', payee: '0180' },
          settled: true,
        },
      ],
    });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.slice(1, -1)).toEqual([
      '"avtal, 2023",direction,0180,1280,,,2,1,0,0,0,1,0,210.50,,,,,,,',
      '"avtal, 2023",cost-by-category,0180,1280,WORK_ORIENTED,,,,,,,,,,14600.50,SEK,,,,,',
      '"avtal, 2023",cost-by-period,0180,1280,,2,,,,,,,,,12500.00,SEK,,,,,',
      '"avtal, 2023",reconciliation,0180,1280,,1,,,,,,,,,41200.50,SEK,0.4563,9399.75,1280,0180,true',
    ]);
    expect(lines.at(-1)).toBe('');
  });
});

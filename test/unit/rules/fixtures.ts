// Agreement records for the rule tests, shaped like subgraphs/agreement/agreements.ts
// but fixed here so the tests do not follow changes to the real configuration.
import { approvedBy, limit, type AgreementRecord } from '../../../schema/contract/agreements';

export const STOCKHOLM = '0180';
export const GOTEBORG = '1480';
export const MALMO = '1280';
export const UPPSALA = '0380';

export const TERM_2023: AgreementRecord = {
  id: 'test-2023',
  name: 'Pilot term',
  validFrom: '2023-01-01',
  validTo: '2023-12-31',
  parties: [STOCKHOLM, GOTEBORG, MALMO],
  approvals: approvedBy([STOCKHOLM, GOTEBORG, MALMO], '2022-12-15'),
  sendingQuota: limit(1),
  receivingQuota: limit(1),
  reconciliationPeriodMonths: 6,
  equalisationThreshold: '0.10',
  answerDeadlineWorkingDays: 5,
  minimumCellCount: 5,
};

/** A following term with a new party: a new record, no new code. */
export const TERM_2024: AgreementRecord = {
  ...TERM_2023,
  id: 'test-2024',
  name: 'Second term',
  validFrom: '2024-01-01',
  validTo: '2024-12-31',
  parties: [STOCKHOLM, GOTEBORG, MALMO, UPPSALA],
  approvals: approvedBy([STOCKHOLM, GOTEBORG, MALMO, UPPSALA], '2023-12-15'),
  sendingQuota: limit(2),
  receivingQuota: limit(2),
};

/** Starts on a month end, to show how periods are clamped. */
export const MONTH_END_TERM: AgreementRecord = {
  ...TERM_2023,
  id: 'test-month-end',
  validFrom: '2023-08-31',
  validTo: '2024-08-30',
};

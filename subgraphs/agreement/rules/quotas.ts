// Rule 9: the number of assignments to and from each party should be as equal
// as possible. In the pilot the aim ("målsättningen") is that each city sends
// at most one and receives at most one. An aim is reported, not refused: going
// beyond it needs a stated reason and shows in the balance. A limit is refused.
import { quotaOf, type Quota } from '../../../schema/contract/agreements';
import { violation, type Verdict } from './verdict';

export type QuotaDirection = 'sending' | 'receiving';

export interface QuotaFacts {
  direction: QuotaDirection;
  quota: Quota;
  municipality: string;
  /** Assignments already counted against it in the term. */
  used: number;
  /** The stated reason for going beyond an aim; null or blank when none was given. */
  beyondAimReason: string | null;
}

/** Whether one more assignment would go beyond the quota. */
export function beyondQuota(facts: Pick<QuotaFacts, 'quota' | 'municipality' | 'used'>): boolean {
  return facts.used >= quotaOf(facts.quota, facts.municipality);
}

export function checkQuota(facts: QuotaFacts): Verdict {
  if (!beyondQuota(facts)) return [];
  const max = quotaOf(facts.quota, facts.municipality);
  const counted = `${facts.municipality} has already ${facts.direction === 'sending' ? 'sent' : 'accepted'} ${facts.used} of the ${max}`;
  if (facts.quota.kind === 'LIMIT') {
    return [
      violation(
        facts.direction === 'sending' ? 'SENDING_QUOTA_EXCEEDED' : 'RECEIVING_QUOTA_EXCEEDED',
        `${counted} assignments the agreement allows in this term.`,
      ),
    ];
  }
  return facts.beyondAimReason?.trim()
    ? []
    : [
        violation(
          'BEYOND_AIM_REASON_MISSING',
          `${counted} assignments the agreement aims at in this term; going beyond it needs a stated reason.`,
        ),
      ];
}

// Rule 8: every six months the two parties reconcile the costs of the
// assignments between them (avstämning); where the split deviates
// significantly from a fair and equal one (avvikelse av betydelse från en
// skälig och lika fördelning), an equalisation payment (utjämning) is made.
// "Significant" is the agreement's equalisationThreshold.
import { Decimal } from 'decimal.js';
import { requireAmount, requireShare, toOre } from './amounts';
import { violation, type Verdict } from './verdict';

export interface ReconciliationInput {
  /** The two parties, municipality codes. */
  a: string;
  b: string;
  /** What A bore, as receiving municipality, for B's assignments in the period. */
  costsBorneByA: string;
  /** What B bore, as receiving municipality, for A's assignments in the period. */
  costsBorneByB: string;
  /** Relative deviation beyond which equalisation is due, e.g. "0.10". */
  threshold: string;
}

export interface Equalisation {
  amount: string;
  /** The party that bore less. */
  payer: string;
  /** The party that bore more. */
  payee: string;
}

export interface ReconciliationResult {
  total: string;
  fairShare: string;
  deviationA: string;
  deviationB: string;
  /** |A − B| / total, four decimals; "0.0000" when nothing was borne. */
  relativeDeviation: string;
  equalisation: Equalisation | null;
}

/**
 * The equal split of the period's costs between two parties.
 *
 * Money is computed exactly and rounded only when shown, to whole öre, half
 * away from zero (ROUND_HALF_UP): an odd-öre total makes the fair share and
 * the deviations end in half an öre, which rounds to the öre above (and the
 * negative deviation to the öre below). The equalisation payment, |A − B| / 2,
 * is rounded the same way: on a half öre the payer pays the öre above.
 *
 * The relative deviation is rounded half-up to four decimals and the threshold
 * is compared with that reported figure, so the decision can be checked from
 * the report itself. Equalisation is due only strictly above the threshold.
 */
export function reconcile(input: ReconciliationInput): ReconciliationResult {
  if (input.a === input.b) throw new RangeError(`A reconciliation needs two different parties: ${input.a}`);
  const a = requireAmount(input.costsBorneByA, 'costsBorneByA');
  const b = requireAmount(input.costsBorneByB, 'costsBorneByB');
  if (a.isNegative() || b.isNegative()) throw new RangeError('Costs borne cannot be negative.');
  const threshold = requireShare(input.threshold, 'threshold');

  const total = a.plus(b);
  const fairShare = total.div(2);
  const difference = a.minus(b).abs();
  const relative = total.isZero()
    ? new Decimal(0)
    : difference.div(total).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);

  const equalisation: Equalisation | null = relative.greaterThan(threshold)
    ? {
        amount: toOre(difference.div(2)),
        payer: a.lessThan(b) ? input.a : input.b,
        payee: a.lessThan(b) ? input.b : input.a,
      }
    : null;

  return {
    total: toOre(total),
    fairShare: toOre(fairShare),
    deviationA: toOre(a.minus(fairShare)),
    deviationB: toOre(b.minus(fairShare)),
    relativeDeviation: relative.toFixed(4),
    equalisation,
  };
}

export interface ReconciliationConfirmationFacts {
  /** The municipality confirming. */
  party: string;
  parties: readonly [string, string];
  /** Parties that have already confirmed. */
  confirmedBy: readonly string[];
  periodEnded: boolean;
  /**
   * Whether the other party's own sums (what it reported, and what it holds
   * of the holder's reports) equal the holder's; null when not known, which
   * this rule leaves to the caller (the other party did not answer).
   */
  figuresAgree: boolean | null;
}

/** Each party confirms the period's reconciliation once; with both it is settled. */
export function checkConfirmReconciliation(facts: ReconciliationConfirmationFacts): Verdict {
  const verdict: Verdict = [];
  const [first, second] = facts.parties;
  if (!facts.parties.includes(facts.party)) {
    verdict.push(
      violation('NOT_A_PARTY_TO_RECONCILIATION', `${facts.party} is not a party to this reconciliation.`),
    );
  }
  if (!facts.periodEnded) {
    verdict.push(
      violation('RECONCILIATION_PERIOD_NOT_ENDED', 'The reconciliation period has not ended yet.'),
    );
  }
  if (facts.confirmedBy.includes(facts.party)) {
    verdict.push(
      violation(
        'RECONCILIATION_ALREADY_CONFIRMED',
        `${facts.party} has already confirmed this reconciliation.`,
      ),
    );
  }
  if (facts.confirmedBy.includes(first) && facts.confirmedBy.includes(second)) {
    verdict.push(
      violation('RECONCILIATION_SETTLED', 'Both parties have already confirmed this reconciliation.'),
    );
  } else if (facts.figuresAgree === false) {
    verdict.push(
      violation(
        'RECONCILIATION_FIGURES_DIFFER',
        "The two parties' sums of the costs each reported to the other differ: a report is on its way, or one side holds a cost the other does not.",
      ),
    );
  }
  return verdict;
}

export const RECONCILIATION_STATUSES = ['OPEN', 'CONFIRMED_BY_ONE', 'SETTLED', 'DISPUTED'] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];

/** Where a period stands: settled once both confirmed the same figures, disputed while a party declines. */
export function reconciliationStatus(facts: {
  parties: readonly [string, string];
  confirmedBy: readonly string[];
  declinedBy: readonly string[];
}): ReconciliationStatus {
  const [a, b] = facts.parties;
  if (facts.confirmedBy.includes(a) && facts.confirmedBy.includes(b)) return 'SETTLED';
  if (facts.declinedBy.length > 0) return 'DISPUTED';
  return facts.confirmedBy.length > 0 ? 'CONFIRMED_BY_ONE' : 'OPEN';
}

/**
 * A party may decline to confirm a period's figures, saying why: the period
 * stays open and shows as disputed until both confirm.
 */
export function checkDeclineReconciliation(facts: {
  party: string;
  parties: readonly [string, string];
  periodEnded: boolean;
  confirmedBy: readonly string[];
  declinedBy: readonly string[];
  reason: string;
}): Verdict {
  const verdict: Verdict = [];
  const [a, b] = facts.parties;
  if (!facts.parties.includes(facts.party)) {
    verdict.push(
      violation('NOT_A_PARTY_TO_RECONCILIATION', `${facts.party} is not a party to this reconciliation.`),
    );
  }
  if (!facts.periodEnded) {
    verdict.push(
      violation('RECONCILIATION_PERIOD_NOT_ENDED', 'The reconciliation period has not ended yet.'),
    );
  }
  if (facts.confirmedBy.includes(a) && facts.confirmedBy.includes(b)) {
    verdict.push(
      violation('RECONCILIATION_SETTLED', 'Both parties have already confirmed this reconciliation.'),
    );
  }
  if (facts.declinedBy.includes(facts.party)) {
    verdict.push(
      violation(
        'RECONCILIATION_ALREADY_DECLINED',
        `${facts.party} has already declined this reconciliation.`,
      ),
    );
  }
  if (!facts.reason.trim()) {
    verdict.push(violation('DECLINE_REASON_MISSING', 'Declining needs a reason.'));
  }
  return verdict;
}

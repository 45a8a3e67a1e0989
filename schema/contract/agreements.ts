// The agreements between municipalities, as data. A new term or a new party
// is a new record here (or in AGREEMENTS_FILE), never new code. Where the
// seeds are silent, a value is an assumption and says so; the parameters that
// parties could set differently are fields of the record.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A party's approval of the agreement by its responsible board or delegate (rule 1). */
export interface Approval {
  municipality: string;
  /** The board or delegate that approved, e.g. "Rinkeby-Kista stadsdelsnämnd". */
  approvedBy: string;
  /** ISO date of the decision. */
  approvedOn: string;
  /** The decision's reference (diarienummer, paragraph); null when unknown. */
  decisionReference: string | null;
  /** The record is an assumption, not a decision the sources show. */
  assumed: boolean;
}

/**
 * A quota of rule 9. An AIM ("målsättningen") is reported, not refused: going
 * beyond it needs a stated reason and shows in the balance. A LIMIT is refused.
 */
export interface Quota {
  kind: 'AIM' | 'LIMIT';
  /** Assignments per party in the term. */
  max: number;
  /** Parties with a different figure, by municipality code. */
  perParty: Record<string, number>;
}

export interface AgreementRecord {
  id: string;
  name: string;
  /** First day in force (Europe/Stockholm), ISO date. */
  validFrom: string;
  /** Last day in force, ISO date; nothing new starts after it. */
  validTo: string;
  parties: string[];
  /** Valid only once every party approved it; one entry per party. */
  approvals: Approval[];
  sendingQuota: Quota;
  receivingQuota: Quota;
  reconciliationPeriodMonths: number;
  /** Deviation from an equal split, as a share, beyond which equalisation is due. */
  equalisationThreshold: string;
  /** Working days the receiving municipality has to answer a proposal. */
  answerDeadlineWorkingDays: number;
  /** Smallest number of people a joint figure may count when shown to a non-party of the pair. */
  minimumCellCount: number;
  /**
   * The last day the final reconciliation covers, once the parties set it
   * (after the last cost): the period holding it ends there. Absent while
   * assignments of the term still run.
   */
  finalReconciliationOn?: string;
}

/** A quota reported, not refused, beyond `max` (with a stated reason). */
export const aim = (max: number): Quota => ({ kind: 'AIM', max, perParty: {} });

/** A quota refused beyond `max`. */
export const limit = (max: number): Quota => ({ kind: 'LIMIT', max, perParty: {} });

/** Every party's approval, dated `approvedOn`: for agreements written as data in tests and tools. */
export const approvedBy = (parties: readonly string[], approvedOn: string): Approval[] =>
  parties.map((municipality) => ({
    municipality,
    approvedBy: `Board of ${municipality}`,
    approvedOn,
    decisionReference: null,
    assumed: false,
  }));

const PILOT_APPROVERS: Record<string, string> = {
  '0180': 'Rinkeby-Kista stadsdelsnämnd, Spånga-Tensta stadsdelsnämnd och socialnämnden',
  '1480': 'Socialnämnderna Nordost, Centrum, Sydväst och Hisingen',
  '1280': 'Arbetsmarknads- och socialnämnden',
};

export const AGREEMENTS: readonly AgreementRecord[] = [
  {
    // Avtal om samverkan för insatser till avhoppare (Stockholm, Göteborg, Malmö).
    id: 'avhoppare-storstad-2023',
    name: 'Avtal om samverkan för insatser till avhoppare',
    validFrom: '2023-01-01',
    validTo: '2023-12-31',
    parties: ['0180', '1480', '1280'],
    // The seeds are the boards' proposals to approve, not the decisions: each
    // approval is recorded as an assumption (before the term, no reference).
    approvals: ['0180', '1480', '1280'].map((municipality) => ({
      municipality,
      approvedBy: PILOT_APPROVERS[municipality]!,
      approvedOn: '2022-12-31',
      decisionReference: null,
      assumed: true,
    })),
    // "Målsättningen är att respektive kommun lämnar ifrån sig högst ett ärende
    // och tar emot högst ett ärende": an aim, not a limit.
    sendingQuota: aim(1),
    receivingQuota: aim(1),
    reconciliationPeriodMonths: 6,
    // Assumption: "avvikelse av betydelse" is not quantified in the seeds.
    equalisationThreshold: '0.10',
    // Assumption: the seeds ask for fast answers (the window of motivation is
    // short) without a figure; five working days.
    answerDeadlineWorkingDays: 5,
    // Assumption: the usual small-cell rule of official statistics.
    minimumCellCount: 5,
  },
];

/**
 * The demo network's agreements: the pilot, plus an obviously fictional term
 * covering this year, so the workflow can be tried today.
 */
export function demoAgreements(today: string): AgreementRecord[] {
  const year = today.slice(0, 4);
  const pilot = AGREEMENTS[0]!;
  return [
    ...AGREEMENTS,
    {
      ...pilot,
      id: `demo-term-${year}`,
      name: `${pilot.name} (fictional demo term ${year})`,
      validFrom: `${year}-01-01`,
      validTo: `${year}-12-31`,
      approvals: pilot.parties.map((municipality) => ({
        municipality,
        approvedBy: `${PILOT_APPROVERS[municipality]!} (fictional)`,
        approvedOn: `${Number(year) - 1}-12-15`,
        decisionReference: `DEMO-${year}-${municipality}`,
        assumed: false,
      })),
    },
  ];
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const code = z.string().regex(/^\d{4}$/);
const quota = z.union([
  // A bare number is a limit, as in files written before aims existed.
  z
    .number()
    .int()
    .min(0)
    .transform((max): Quota => ({ kind: 'LIMIT', max, perParty: {} })),
  z.object({
    kind: z.enum(['AIM', 'LIMIT']),
    max: z.number().int().min(0),
    perParty: z.record(code, z.number().int().min(0)).default({}),
  }),
]);
const approval = z.object({
  municipality: code,
  approvedBy: z.string().min(1),
  approvedOn: isoDate,
  decisionReference: z.string().min(1).nullable().default(null),
  assumed: z.boolean().default(false),
});

export const agreementSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    validFrom: isoDate,
    validTo: isoDate,
    parties: z.array(code).min(2),
    approvals: z.array(approval),
    sendingQuota: quota,
    receivingQuota: quota,
    reconciliationPeriodMonths: z.number().int().min(1),
    // A share between 0 and 1 with a leading digit, e.g. "0.10".
    equalisationThreshold: z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/),
    answerDeadlineWorkingDays: z.number().int().min(1).default(5),
    minimumCellCount: z.number().int().min(1).default(5),
    finalReconciliationOn: isoDate.optional(),
  })
  .refine((a) => a.validFrom <= a.validTo, { message: 'validTo is before validFrom', path: ['validTo'] })
  .refine((a) => !a.finalReconciliationOn || a.finalReconciliationOn >= a.validTo, {
    message: 'the final reconciliation ends on or after the term',
    path: ['finalReconciliationOn'],
  })
  .refine((a) => a.approvals.every((x) => a.parties.includes(x.municipality)), {
    message: 'an approval names a municipality that is not a party',
    path: ['approvals'],
  });

/** The agreements from a JSON file, checked; the built-in ones without a file. */
export function loadAgreements(file: string | undefined): readonly AgreementRecord[] {
  if (!file) return AGREEMENTS;
  const parsed = z.array(agreementSchema).safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid agreements file ${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A party's figure under a quota. */
export function quotaOf(quota: Quota, municipality: string): number {
  return quota.perParty[municipality] ?? quota.max;
}

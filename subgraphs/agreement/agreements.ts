// The agreements in force between municipalities, as data. A new term or a
// new party is a new record here (or in AGREEMENTS_FILE), never new code.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export interface AgreementRecord {
  id: string;
  name: string;
  /** First day in force (Europe/Stockholm), ISO date. */
  validFrom: string;
  /** Last day in force, ISO date. */
  validTo: string;
  parties: string[];
  sendingQuota: number;
  receivingQuota: number;
  reconciliationPeriodMonths: number;
  /** Deviation from an equal split, as a share, beyond which equalisation is due. */
  equalisationThreshold: string;
}

export const AGREEMENTS: readonly AgreementRecord[] = [
  {
    // Avtal om samverkan för insatser till avhoppare (Stockholm, Göteborg, Malmö).
    id: 'avhoppare-storstad-2023',
    name: 'Avtal om samverkan för insatser till avhoppare',
    validFrom: '2023-01-01',
    validTo: '2023-12-31',
    parties: ['0180', '1480', '1280'],
    // The pilot's aim: each city sends at most one and receives at most one.
    sendingQuota: 1,
    receivingQuota: 1,
    reconciliationPeriodMonths: 6,
    // "Avvikelse av betydelse" is not quantified in the agreement; a parameter.
    equalisationThreshold: '0.10',
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
    },
  ];
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const agreementsSchema = z.array(
  z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    validFrom: isoDate,
    validTo: isoDate,
    parties: z.array(z.string().regex(/^\d{4}$/)).min(2),
    sendingQuota: z.number().int().min(0),
    receivingQuota: z.number().int().min(0),
    reconciliationPeriodMonths: z.number().int().min(1),
    // A share between 0 and 1 with a leading digit, e.g. "0.10".
    equalisationThreshold: z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/),
  }),
);

/** The agreements from a JSON file, checked; the built-in ones without a file. */
export function loadAgreements(file: string | undefined): readonly AgreementRecord[] {
  if (!file) return AGREEMENTS;
  const parsed = agreementsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid agreements file ${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

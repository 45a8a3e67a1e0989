// A case whose personal fields are distinctive strings, so a test can search
// every log line and exported span for them and be sure none leaked.
import { addMonths } from '../../schema/contract/dates';
import type { TestNetwork } from './network';
import { ok, today } from './workflow';

/** A valid personnummer (Luhn check digit) that appears nowhere else. */
function personnummer(date: string, serial: string): string {
  const digits = `${date.slice(2)}${serial}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const v = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += v > 9 ? v - 9 : v;
  }
  return `${date.slice(0, 4)}${date.slice(4)}-${serial}${(10 - (sum % 10)) % 10}`;
}

const NUMBER = personnummer('19870314', '614');

export const SENSITIVE = {
  personName: 'Zebulon Kvastfenix-Örnhjelm',
  personalIdentityNumber: NUMBER,
  journalNote: 'Anteckning Gulbrandsmarken sju sju tre ett',
  temporaryHousing: 'Skyddat boende Ripvägen åttioåtta',
  threatSource: 'Hotkälla Nordanskogsligan',
  policeUnit: 'Polisen Vargbo insatsgrupp tolv',
  consentScope: 'Samtycke Blåklintsomfånget',
} as const;

/** Every form in which a sensitive value could appear in a line. */
export const SENSITIVE_NEEDLES: string[] = [
  ...Object.values(SENSITIVE),
  NUMBER.replace('-', ''),
  NUMBER.slice(2),
  NUMBER.slice(2).replace('-', ''),
  'Kvastfenix',
  'Gulbrandsmarken',
  'Ripvägen',
  'Nordanskogsligan',
  'Vargbo',
  'Blåklintsomfånget',
];

/**
 * Opens a case at `home` with every prerequisite of a proposal to
 * `receiving` recorded, each free-text field distinctive.
 */
export async function openSensitiveCase(
  network: TestNetwork,
  home: string,
  receiving: string,
  unitId: string,
): Promise<string> {
  const call = async (query: string, variables: Record<string, unknown>) =>
    ok(await network.internal<Record<string, { id: string }>>(home, query, variables));
  const opened = await call(
    /* GraphQL */ `
      mutation Open($input: OpenCaseInput!) {
        openCase(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        personName: SENSITIVE.personName,
        personalIdentityNumber: SENSITIVE.personalIdentityNumber,
        unitId,
      },
    },
  );
  const caseId = opened.openCase!.id;
  const police = /* GraphQL */ `
    mutation Police($input: PoliceConsultationInput!) {
      recordPoliceConsultation(input: $input) {
        id
      }
    }
  `;
  await call(
    /* GraphQL */ `
      mutation Prepare($c: ID!, $on: Date!, $source: String!, $housing: String!, $note: String!) {
        assessTargetGroup(caseId: $c, targetGroup: CRIMINAL_GROUP) {
          id
        }
        assessMotivation(caseId: $c, motivated: true, assessment: "Vill bryta") {
          id
        }
        assessThreat(caseId: $c, level: CONCRETE, assessedByPolice: true, assessedOn: $on, source: $source) {
          id
        }
        recordChildResponsibility(caseId: $c, hasChildResponsibility: false) {
          id
        }
        recordTemporaryHousing(caseId: $c, description: $housing) {
          id
        }
        addJournalNote(caseId: $c, text: $note) {
          id
        }
      }
    `,
    {
      c: caseId,
      on: today(),
      source: SENSITIVE.threatSource,
      housing: SENSITIVE.temporaryHousing,
      note: SENSITIVE.journalNote,
    },
  );
  for (const municipality of [home, receiving]) {
    await call(police, {
      input: { caseId, municipality, date: today(), policeUnit: SENSITIVE.policeUnit },
    });
  }
  await call(
    /* GraphQL */ `
      mutation Basis($input: DisclosureBasisInput!) {
        recordDisclosureBasis(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        caseId,
        recipientMunicipality: receiving,
        kind: 'CONSENT',
        scope: SENSITIVE.consentScope,
        validFrom: addMonths(today(), -14),
      },
    },
  );
  return caseId;
}

/** The sensitive values found in `text` (none, when all is well). */
export const leaksIn = (text: string) => SENSITIVE_NEEDLES.filter((needle) => text.includes(needle));

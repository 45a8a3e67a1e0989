// A home city's case made ready to propose, through its internal API, as
// the city's own systems would: every prerequisite of a proposal recorded.
import type { WebNetwork } from './webNetwork';

const today = () => new Date().toISOString().slice(0, 10);

/** Records every prerequisite of `caseId`; returns the disclosure basis recorded for `receiving`. */
export async function prepareCase(
  web: WebNetwork,
  home: { municipality: string; unit: string },
  caseId: string,
  receiving: string,
): Promise<{ basisId: string }> {
  const run = <T>(query: string, variables: Record<string, unknown>) =>
    web.internal<T>(home.municipality, home.unit, query, variables);
  await run(
    /* GraphQL */ `
      mutation ($c: ID!) {
        assessTargetGroup(caseId: $c, targetGroup: CRIMINAL_GROUP) {
          id
        }
        assessMotivation(caseId: $c, motivated: true, assessment: "Vill bryta") {
          id
        }
        recordChildResponsibility(caseId: $c, hasChildResponsibility: false) {
          id
        }
        recordTemporaryHousing(caseId: $c, description: "Tillfälligt boende ordnat") {
          id
        }
      }
    `,
    { c: caseId },
  );
  for (const municipality of [home.municipality, receiving]) {
    await run(
      /* GraphQL */ `
        mutation ($input: PoliceConsultationInput!) {
          recordPoliceConsultation(input: $input) {
            id
          }
        }
      `,
      { input: { caseId, municipality, date: today(), policeUnit: 'Polisregionen, BOPS' } },
    );
  }
  const basis = await run<{ recordDisclosureBasis: { id: string } }>(
    /* GraphQL */ `
      mutation ($input: DisclosureBasisInput!) {
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
        scope: 'uppdrag, genomförandeplan och kostnader',
        validFrom: `${today().slice(0, 4)}-01-01`,
      },
    },
  );
  return { basisId: basis.recordDisclosureBasis.id };
}

export async function withdrawBasis(
  web: WebNetwork,
  home: { municipality: string; unit: string },
  id: string,
) {
  await web.internal(
    home.municipality,
    home.unit,
    /* GraphQL */ `
      mutation ($id: ID!) {
        withdrawDisclosureBasis(id: $id) {
          id
        }
      }
    `,
    { id },
  );
}

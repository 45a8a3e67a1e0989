// A city's internal API end to end: one real Stockholm process, GraphQL over
// HTTP with tokens of Stockholm's own issuer, on PGlite and on PostgreSQL.
// Three fictional district boards are added to Stockholm's configuration so
// the merge tests do not depend on the real units' history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../gateway/auth/devIssuer';
import { devIssuerKeyFiles } from '../../runtime/keys';
import { ensureKeyPair } from '../../runtime/keys';
import { stockholmDay } from '../../subgraphs/clock';
import {
  internalDatabaseKinds,
  startTestCity,
  type GraphQLResponse,
  type TestCity,
} from '../support/internalCity';

interface UnitView {
  id: string;
  name: string;
  kind: string;
  successor: { id: string } | null;
  current: { id: string };
}

interface BasisView {
  id: string;
  recipientMunicipality: string;
  kind: string;
  legalReference: string | null;
  scope: string;
  validFrom: string;
  validTo: string | null;
  withdrawnAt: string | null;
  inForce: boolean;
}

interface CaseView {
  id: string;
  personName: string;
  personalIdentityNumber: string;
  coordinationNumber: boolean;
  unit: UnitView;
  openedAt: string;
  closedAt: string | null;
  targetGroup: string | null;
  threat: {
    level: string;
    assessedByPolice: boolean;
    assessedOn: string;
    source: string | null;
    assessedAt: string;
  } | null;
  motivation: { motivated: boolean; assessment: string; assessedAt: string } | null;
  hasChildResponsibility: boolean | null;
  temporaryHousing: string | null;
  disclosureBases: BasisView[];
  policeConsultations: { id: string; municipality: string; date: string; policeUnit: string }[];
  notes: { id: string; author: string; text: string; writtenAt: string }[];
  assignments: { id: string }[];
}

const UNIT = /* GraphQL */ `
  fragment UnitFields on Unit {
    id
    name
    kind
    successor {
      id
    }
    current {
      id
    }
  }
`;

const CASE = /* GraphQL */ `
  fragment CaseFields on Case {
    id
    personName
    personalIdentityNumber
    coordinationNumber
    unit {
      ...UnitFields
    }
    openedAt
    closedAt
    targetGroup
    threat {
      level
      assessedByPolice
      assessedOn
      source
      assessedAt
    }
    motivation {
      motivated
      assessment
      assessedAt
    }
    hasChildResponsibility
    temporaryHousing
    disclosureBases {
      ...BasisFields
    }
    policeConsultations {
      id
      municipality
      date
      policeUnit
    }
    notes {
      id
      author
      text
      writtenAt
    }
    assignments {
      id
    }
  }
  fragment BasisFields on DisclosureBasis {
    id
    recipientMunicipality
    kind
    legalReference
    scope
    validFrom
    validTo
    withdrawnAt
    inForce
  }
  ${UNIT}
`;

const OPEN_CASE = /* GraphQL */ `
  mutation Open($input: OpenCaseInput!) {
    openCase(input: $input) {
      ...CaseFields
    }
  }
  ${CASE}
`;

const GET_CASE = /* GraphQL */ `
  query Get($id: ID!) {
    case(id: $id) {
      ...CaseFields
    }
  }
  ${CASE}
`;

const CASE_IDS = /* GraphQL */ `
  {
    cases {
      id
    }
  }
`;

const UNITS = /* GraphQL */ `
  {
    units {
      ...UnitFields
    }
  }
  ${UNIT}
`;

const ASSIGN = /* GraphQL */ `
  mutation Assign($caseId: ID!, $unitId: ID!) {
    assignHandlingUnit(caseId: $caseId, unitId: $unitId) {
      id
      unit {
        ...UnitFields
      }
    }
  }
  ${UNIT}
`;

const MERGE = /* GraphQL */ `
  mutation Merge($unitIds: [ID!]!, $successor: SuccessorUnitInput!) {
    mergeUnits(unitIds: $unitIds, successor: $successor) {
      ...UnitFields
    }
  }
  ${UNIT}
`;

const RECORD_BASIS = /* GraphQL */ `
  mutation Basis($input: DisclosureBasisInput!) {
    recordDisclosureBasis(input: $input) {
      ...BasisFields
    }
  }
  fragment BasisFields on DisclosureBasis {
    id
    recipientMunicipality
    kind
    legalReference
    scope
    validFrom
    validTo
    withdrawnAt
    inForce
  }
`;

const WITHDRAW_BASIS = /* GraphQL */ `
  mutation Withdraw($id: ID!) {
    withdrawDisclosureBasis(id: $id) {
      id
      withdrawnAt
      inForce
    }
  }
`;

const ADD_NOTE = /* GraphQL */ `
  mutation Note($caseId: ID!, $text: String!) {
    addJournalNote(caseId: $caseId, text: $text) {
      id
      author
      text
      writtenAt
    }
  }
`;

const CLOSE = /* GraphQL */ `
  mutation Close($caseId: ID!) {
    closeCase(caseId: $caseId) {
      id
      closedAt
    }
  }
`;

const EXTRA_UNITS = [
  { id: 'sto-test-norr', name: 'Teststadsdel Norr (fiktiv)', kind: 'DISTRICT_BOARD' as const },
  { id: 'sto-test-soder', name: 'Teststadsdel Söder (fiktiv)', kind: 'DISTRICT_BOARD' as const },
  { id: 'sto-test-vast', name: 'Teststadsdel Väst (fiktiv)', kind: 'DISTRICT_BOARD' as const },
];
const NORDVAST = 'Stadsdelsnämnden Rinkeby-Kista och Spånga-Tensta';

// Fictional numbers born in 1900 (like the demo data); check digits by Luhn over YYMMDDNNN.
const PERSONNUMMER_TEN_DIGITS = '000301+1236'; // '+': 100 or older, so born 1900-03-01
const COORDINATION_NUMBER = '19000361-1233'; // day 61 = 1 + 60
const VALID = '19000302-4569';
const WRONG_CHECK_DIGIT = '19000302-4568';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

function shiftDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The data of a successful response. */
function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.data!;
}

/** The single error of a refused request, after checking its code. */
function refused<T>(response: GraphQLResponse<T>, code: string) {
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  expect(error!.extensions?.code).toBe(code);
  return { message: error!.message, extensions: error!.extensions ?? {}, data: response.data };
}

function expectInstantBetween(value: string | null | undefined, from: Date, to: Date) {
  expect(value).toMatch(ISO_INSTANT);
  const instant = new Date(value!).getTime();
  expect(instant).toBeGreaterThanOrEqual(from.getTime());
  expect(instant).toBeLessThanOrEqual(to.getTime());
}

const kinds = await internalDatabaseKinds();

/**
 * The error names the field: resolvers say so in extensions.field; a value the
 * scalar itself refuses (a date that does not exist) is named in the message.
 */
function expectNamed(
  error: { message: string; extensions: Record<string, unknown> },
  field: string,
  input: unknown,
) {
  if (error.extensions.field !== undefined) expect(error.extensions.field, JSON.stringify(input)).toBe(field);
  else expect(error.message, JSON.stringify(input)).toContain(field);
}

describe.each(kinds)('the internal API of a city on %s', (kind) => {
  let city: TestCity;
  const today = stockholmDay(new Date());

  const openCase = async (
    personalIdentityNumber: string,
    unitId = 'sto-central',
    personName = 'Test Person',
  ) =>
    city.graphql<{ openCase: CaseView }>(OPEN_CASE, {
      input: { personName, personalIdentityNumber, unitId },
    });
  const getCase = async (id: string) =>
    ok(await city.graphql<{ case: CaseView | null }>(GET_CASE, { id })).case;
  const caseIds = async () =>
    ok(await city.graphql<{ cases: { id: string }[] }>(CASE_IDS)).cases.map((c) => c.id);
  const units = async () => ok(await city.graphql<{ units: UnitView[] }>(UNITS)).units;
  const unit = async (id: string) => (await units()).find((u) => u.id === id);

  beforeAll(async () => {
    city = await startTestCity({
      code: '0180',
      database: kind,
      configure: (config) => ({ ...config, units: [...config.units, ...EXTRA_UNITS] }),
    });
  });
  afterAll(async () => {
    await city?.stop();
  });

  describe('authentication', () => {
    it('answers a request without a token with 401 UNAUTHENTICATED', async () => {
      const response = await city.graphql(CASE_IDS, undefined, { token: null });
      expect(response.status).toBe(401);
      expect(response.data ?? null).toBeNull();
      refused(response, 'UNAUTHENTICATED');
    });

    it("refuses another municipality's token with UNAUTHENTICATED", async () => {
      await ensureKeyPair(devIssuerKeyFiles(city.keysDir, '1480'));
      const goteborg = await mintDevToken(city.keysDir, { municipality: '1480' });
      const response = await city.graphql(CASE_IDS, undefined, { token: goteborg });
      expect(response.status).toBe(401);
      expect(response.data ?? null).toBeNull();
      refused(response, 'UNAUTHENTICATED');
    });

    it("answers its own municipality's token", async () => {
      expect(await caseIds()).toEqual([]);
    });
  });

  describe('cases', () => {
    it('lists the configured units with their merges', async () => {
      const all = await units();
      expect(all.map((u) => u.id)).toEqual([
        'sto-central',
        'sto-nordvast',
        'sto-rinkeby-kista',
        'sto-spanga-tensta',
        'sto-test-norr',
        'sto-test-soder',
        'sto-test-vast',
      ]);
      expect(all.find((u) => u.id === 'sto-spanga-tensta')).toEqual({
        id: 'sto-spanga-tensta',
        name: 'Spånga-Tensta stadsdelsnämnd',
        kind: 'DISTRICT_BOARD',
        successor: { id: 'sto-nordvast' },
        current: { id: 'sto-nordvast' },
      });
      expect(all.find((u) => u.id === 'sto-central')).toMatchObject({
        kind: 'CENTRAL_DEFECTOR_UNIT',
        successor: null,
        current: { id: 'sto-central' },
      });
    });

    it('opens a case with a personnummer and stores it normalized', async () => {
      const before = new Date();
      const opened = ok(
        await openCase(PERSONNUMMER_TEN_DIGITS, 'sto-test-norr', '  Testperson Alfa  '),
      ).openCase;
      const after = new Date();
      expect(opened.id).toMatch(new RegExp(`^case-${UUID}$`));
      expect(opened).toMatchObject({
        personName: 'Testperson Alfa',
        personalIdentityNumber: '19000301-1236',
        coordinationNumber: false,
        unit: { id: 'sto-test-norr', successor: null, current: { id: 'sto-test-norr' } },
        closedAt: null,
        targetGroup: null,
        threat: null,
        motivation: null,
        hasChildResponsibility: null,
        temporaryHousing: null,
        disclosureBases: [],
        policeConsultations: [],
        notes: [],
        assignments: [],
      });
      expectInstantBetween(opened.openedAt, before, after);
      expect(await getCase(opened.id)).toEqual(opened);
    });

    it('opens a case with a co-ordination number (birth day + 60)', async () => {
      const opened = ok(await openCase(COORDINATION_NUMBER, 'sto-central', 'Testperson Bravo')).openCase;
      expect(opened).toMatchObject({
        personName: 'Testperson Bravo',
        personalIdentityNumber: '19000361-1233',
        coordinationNumber: true,
        unit: { id: 'sto-central' },
      });
    });

    it('refuses an invalid number, name or unit and writes nothing', async () => {
      const before = await caseIds();
      expect(before).toHaveLength(2);

      const wrongDigit = refused(await openCase(WRONG_CHECK_DIGIT), 'BAD_USER_INPUT');
      expect(wrongDigit.extensions.field).toBe('personalIdentityNumber');
      expect(wrongDigit.message).toContain('personalIdentityNumber');
      expect(wrongDigit.data ?? null).toBeNull();

      const notADate = refused(await openCase('19000230-1234'), 'BAD_USER_INPUT');
      expect(notADate.extensions.field).toBe('personalIdentityNumber');

      const noName = refused(await openCase(VALID, 'sto-central', '   '), 'BAD_USER_INPUT');
      expect(noName.extensions.field).toBe('personName');

      const unknownUnit = refused(await openCase(VALID, 'sto-okand'), 'NOT_FOUND');
      expect(unknownUnit.message).toContain('sto-okand');

      const mergedUnit = refused(await openCase(VALID, 'sto-spanga-tensta'), 'CONFLICT');
      expect(mergedUnit.extensions.rules).toEqual(['UNIT_MERGED']);
      expect(mergedUnit.message).toContain('sto-nordvast');

      expect(await caseIds()).toEqual(before);
    });

    it('lists cases newest first and answers null for an unknown id', async () => {
      const third = ok(await openCase(VALID, 'sto-central', 'Testperson Charlie')).openCase;
      const ids = await caseIds();
      expect(ids).toHaveLength(3);
      expect(ids[0]).toBe(third.id);
      const listed = await Promise.all(ids.map(getCase));
      const openedAt = listed.map((c) => c!.openedAt);
      expect(openedAt).toEqual([...openedAt].sort().reverse());
      expect(listed.map((c) => c!.personName)).toEqual([
        'Testperson Charlie',
        'Testperson Bravo',
        'Testperson Alfa',
      ]);
      expect(await getCase('case-does-not-exist')).toBeNull();
    });

    it("updates the person's name and number", async () => {
      const [id] = await caseIds();
      const UPDATE = /* GraphQL */ `
        mutation Update($caseId: ID!, $personName: String, $personalIdentityNumber: String) {
          updatePerson(
            caseId: $caseId
            personName: $personName
            personalIdentityNumber: $personalIdentityNumber
          ) {
            personName
            personalIdentityNumber
            coordinationNumber
          }
        }
      `;
      const updated = ok(
        await city.graphql(UPDATE, {
          caseId: id,
          personName: 'Testperson Charlie Andersdotter',
          personalIdentityNumber: '000415+7897', // '+': born 1900
        }),
      );
      expect(updated).toEqual({
        updatePerson: {
          personName: 'Testperson Charlie Andersdotter',
          personalIdentityNumber: '19000415-7897',
          coordinationNumber: false,
        },
      });

      const bad = refused(
        await city.graphql(UPDATE, { caseId: id, personalIdentityNumber: WRONG_CHECK_DIGIT }),
        'BAD_USER_INPUT',
      );
      expect(bad.extensions.field).toBe('personalIdentityNumber');
      refused(await city.graphql(UPDATE, { caseId: id }), 'BAD_USER_INPUT');
      refused(await city.graphql(UPDATE, { caseId: 'case-okand', personName: 'X' }), 'NOT_FOUND');
      expect(await getCase(id!)).toMatchObject({ personalIdentityNumber: '19000415-7897' });
    });
  });

  describe('assessments', () => {
    it('records every assessment with its time and reads them back', async () => {
      const [id] = await caseIds();
      const before = new Date();
      const ASSESS = /* GraphQL */ `
        mutation Assess($caseId: ID!, $on: Date!) {
          assessTargetGroup(caseId: $caseId, targetGroup: CRIMINAL_GROUP) {
            targetGroup
          }
          assessThreat(
            caseId: $caseId
            level: CONCRETE
            assessedByPolice: true
            assessedOn: $on
            source: "Polisen, BOPS region Stockholm"
          ) {
            threat {
              level
              assessedByPolice
              assessedOn
              source
            }
          }
          assessMotivation(
            caseId: $caseId
            motivated: true
            assessment: "Vill lämna nätverket; deltar i samtal."
          ) {
            motivation {
              motivated
              assessment
            }
          }
          recordChildResponsibility(caseId: $caseId, hasChildResponsibility: false) {
            hasChildResponsibility
          }
          recordTemporaryHousing(caseId: $caseId, description: "Tillfälligt boende ordnat av hemkommunen") {
            temporaryHousing
          }
        }
      `;
      // The police's assessment, dated the day before it is recorded here.
      const assessedOn = shiftDay(today, -1);
      const written = ok(await city.graphql(ASSESS, { caseId: id, on: assessedOn }));
      const policeThreat = {
        level: 'CONCRETE',
        assessedByPolice: true,
        assessedOn,
        source: 'Polisen, BOPS region Stockholm',
      };
      expect(written).toEqual({
        assessTargetGroup: { targetGroup: 'CRIMINAL_GROUP' },
        assessThreat: { threat: policeThreat },
        assessMotivation: {
          motivation: { motivated: true, assessment: 'Vill lämna nätverket; deltar i samtal.' },
        },
        recordChildResponsibility: { hasChildResponsibility: false },
        recordTemporaryHousing: { temporaryHousing: 'Tillfälligt boende ordnat av hemkommunen' },
      });
      const after = new Date();

      const read = (await getCase(id!))!;
      expect(read).toMatchObject({
        targetGroup: 'CRIMINAL_GROUP',
        threat: policeThreat,
        motivation: { motivated: true, assessment: 'Vill lämna nätverket; deltar i samtal.' },
        hasChildResponsibility: false,
        temporaryHousing: 'Tillfälligt boende ordnat av hemkommunen',
      });
      expectInstantBetween(read.threat?.assessedAt, before, after);
      expectInstantBetween(read.motivation?.assessedAt, before, after);

      // A new assessment replaces the previous one.
      const REASSESS = /* GraphQL */ `
        mutation Reassess($caseId: ID!, $on: Date!) {
          assessThreat(
            caseId: $caseId
            level: LATENT
            assessedByPolice: false
            assessedOn: $on
            source: "Socialtjänsten"
          ) {
            threat {
              level
              assessedByPolice
              assessedOn
              source
              assessedAt
            }
          }
          assessTargetGroup(caseId: $caseId, targetGroup: DESTRUCTIVE_ENVIRONMENT) {
            targetGroup
          }
        }
      `;
      const reassessed = ok(
        await city.graphql<{ assessThreat: CaseView; assessTargetGroup: CaseView }>(REASSESS, {
          caseId: id,
          on: today,
        }),
      );
      expect(reassessed.assessThreat.threat).toMatchObject({
        level: 'LATENT',
        assessedByPolice: false,
        assessedOn: today,
        source: 'Socialtjänsten',
      });
      expect(reassessed.assessThreat.threat!.assessedAt >= read.threat!.assessedAt).toBe(true);
      expect(reassessed.assessTargetGroup.targetGroup).toBe('DESTRUCTIVE_ENVIRONMENT');
    });

    it('refuses blank or future-dated assessments and unknown cases', async () => {
      const [id] = await caseIds();
      const THREAT = /* GraphQL */ `
        mutation Threat($caseId: ID!, $on: Date!, $source: String) {
          assessThreat(
            caseId: $caseId
            level: CONCRETE
            assessedByPolice: true
            assessedOn: $on
            source: $source
          ) {
            id
          }
        }
      `;
      // An assessment the police have not made yet.
      const future = refused(
        await city.graphql(THREAT, { caseId: id, on: shiftDay(today, 1), source: 'BOPS' }),
        'BAD_USER_INPUT',
      );
      expect(future.extensions.field).toBe('assessedOn');
      const MOTIVATION = /* GraphQL */ `
        mutation Motivation($caseId: ID!, $assessment: String!) {
          assessMotivation(caseId: $caseId, motivated: true, assessment: $assessment) {
            id
          }
        }
      `;
      const blank = refused(
        await city.graphql(MOTIVATION, { caseId: id, assessment: '  ' }),
        'BAD_USER_INPUT',
      );
      expect(blank.extensions.field).toBe('assessment');
      const unknown = refused(
        await city.graphql(THREAT, { caseId: 'case-okand', on: today, source: 'BOPS' }),
        'NOT_FOUND',
      );
      expect(unknown.message).toContain('case-okand');
      // Nothing of the refused assessments was written.
      const read = (await getCase(id!))!;
      expect(read.threat).toMatchObject({
        level: 'LATENT',
        assessedByPolice: false,
        assessedOn: today,
        source: 'Socialtjänsten',
      });
      expect(read.motivation).toMatchObject({ assessment: 'Vill lämna nätverket; deltar i samtal.' });
    });
  });

  describe('disclosure bases', () => {
    let caseId: string;
    const basis = (input: Record<string, unknown>) =>
      city.graphql<{ recordDisclosureBasis: BasisView }>(RECORD_BASIS, {
        input: {
          caseId,
          recipientMunicipality: '1480',
          kind: 'CONSENT',
          scope: 'Uppdrag, planöversikt och kostnader',
          validFrom: '2023-01-01',
          ...input,
        },
      });

    beforeAll(async () => {
      [caseId] = (await caseIds()) as [string];
    });

    it('records a basis in force, one not yet started and one ended', async () => {
      const consent = ok(await basis({})).recordDisclosureBasis;
      expect(consent.id).toMatch(new RegExp(`^basis-${UUID}$`));
      expect(consent).toEqual({
        id: consent.id,
        recipientMunicipality: '1480',
        kind: 'CONSENT',
        legalReference: null,
        scope: 'Uppdrag, planöversikt och kostnader',
        validFrom: '2023-01-01',
        validTo: null,
        withdrawnAt: null,
        inForce: true,
      });

      const future = ok(
        await basis({
          recipientMunicipality: '1280',
          kind: 'LEGAL_BASIS',
          legalReference: 'OSL 10 kap. 2 §',
          validFrom: shiftDay(today, 1),
          validTo: shiftDay(today, 30),
        }),
      ).recordDisclosureBasis;
      expect(future).toMatchObject({
        kind: 'LEGAL_BASIS',
        legalReference: 'OSL 10 kap. 2 §',
        validFrom: shiftDay(today, 1),
        validTo: shiftDay(today, 30),
        inForce: false,
      });

      const ended = ok(
        await basis({ validFrom: '2023-01-01', validTo: shiftDay(today, -1) }),
      ).recordDisclosureBasis;
      expect(ended.inForce).toBe(false);
      const endsToday = ok(await basis({ validFrom: today, validTo: today })).recordDisclosureBasis;
      expect(endsToday.inForce).toBe(true);

      const read = (await getCase(caseId))!.disclosureBases;
      expect(read.map((b) => [b.id, b.inForce])).toEqual([
        [consent.id, true],
        [future.id, false],
        [ended.id, false],
        [endsToday.id, true],
      ]);
    });

    it('refuses bad input, naming the field', async () => {
      const count = (await getCase(caseId))!.disclosureBases.length;
      const cases: [Record<string, unknown>, string][] = [
        [{ validFrom: '2023-06-01', validTo: '2023-05-31' }, 'validTo'],
        [{ validFrom: '2023-02-30' }, 'validFrom'],
        [{ kind: 'LEGAL_BASIS' }, 'legalReference'],
        [{ kind: 'LEGAL_BASIS', legalReference: '  ' }, 'legalReference'],
        [{ recipientMunicipality: '180' }, 'recipientMunicipality'],
        [{ recipientMunicipality: '0180' }, 'recipientMunicipality'],
        [{ scope: '' }, 'scope'],
      ];
      for (const [input, field] of cases) {
        const error = refused(await basis(input), 'BAD_USER_INPUT');
        expectNamed(error, field, input);
      }
      const unknown = refused(
        await city.graphql(RECORD_BASIS, {
          input: {
            caseId: 'case-okand',
            recipientMunicipality: '1480',
            kind: 'CONSENT',
            scope: 'Allt',
            validFrom: '2023-01-01',
          },
        }),
        'NOT_FOUND',
      );
      expect(unknown.message).toContain('case-okand');
      expect((await getCase(caseId))!.disclosureBases).toHaveLength(count);
    });

    it('withdraws a basis at once, and only once', async () => {
      const consent = (await getCase(caseId))!.disclosureBases[0]!;
      expect(consent.inForce).toBe(true);

      const before = new Date();
      const withdrawn = ok(
        await city.graphql<{ withdrawDisclosureBasis: BasisView }>(WITHDRAW_BASIS, { id: consent.id }),
      ).withdrawDisclosureBasis;
      expect(withdrawn.inForce).toBe(false);
      expectInstantBetween(withdrawn.withdrawnAt, before, new Date());

      const again = refused(await city.graphql(WITHDRAW_BASIS, { id: consent.id }), 'CONFLICT');
      expect(again.extensions.rules).toEqual(['DISCLOSURE_BASIS_ALREADY_WITHDRAWN']);
      expect(again.message).toContain(withdrawn.withdrawnAt!);

      const read = (await getCase(caseId))!.disclosureBases[0]!;
      expect(read).toMatchObject({ id: consent.id, inForce: false, withdrawnAt: withdrawn.withdrawnAt });

      refused(await city.graphql(WITHDRAW_BASIS, { id: 'basis-okand' }), 'NOT_FOUND');
    });
  });

  describe('police consultations', () => {
    const CONSULT = /* GraphQL */ `
      mutation Consult($input: PoliceConsultationInput!) {
        recordPoliceConsultation(input: $input) {
          id
          municipality
          date
          policeUnit
        }
      }
    `;

    it('records consultations in the home and the receiving municipality', async () => {
      const [caseId] = await caseIds();
      const receiving = ok(
        await city.graphql<{ recordPoliceConsultation: { id: string } }>(CONSULT, {
          input: { caseId, municipality: '1480', date: '2024-01-12', policeUnit: 'Polisregion Väst, BOPS' },
        }),
      ).recordPoliceConsultation;
      expect(receiving.id).toMatch(new RegExp(`^police-${UUID}$`));
      ok(
        await city.graphql(CONSULT, {
          input: {
            caseId,
            municipality: '0180',
            date: '2024-01-10',
            policeUnit: 'Polisregion Stockholm, BOPS',
          },
        }),
      );
      ok(
        await city.graphql(CONSULT, {
          input: { caseId, municipality: '0180', date: today, policeUnit: 'BOPS' },
        }),
      );

      const read = (await getCase(caseId!))!.policeConsultations;
      expect(read.map(({ municipality, date, policeUnit }) => ({ municipality, date, policeUnit }))).toEqual([
        { municipality: '0180', date: '2024-01-10', policeUnit: 'Polisregion Stockholm, BOPS' },
        { municipality: '1480', date: '2024-01-12', policeUnit: 'Polisregion Väst, BOPS' },
        { municipality: '0180', date: today, policeUnit: 'BOPS' },
      ]);
    });

    it('refuses a bad municipality, a date not yet reached and a blank police unit', async () => {
      const [caseId] = await caseIds();
      const input = { caseId, municipality: '1480', date: '2024-01-12', policeUnit: 'Polisregion Väst' };
      const cases: [Record<string, unknown>, string][] = [
        [{ municipality: '14800' }, 'municipality'],
        [{ date: shiftDay(today, 1) }, 'date'],
        [{ date: '2024-13-01' }, 'date'],
        [{ policeUnit: ' ' }, 'policeUnit'],
      ];
      for (const [change, field] of cases) {
        const error = refused(
          await city.graphql(CONSULT, { input: { ...input, ...change } }),
          'BAD_USER_INPUT',
        );
        expectNamed(error, field, change);
      }
      expect((await getCase(caseId!))!.policeConsultations).toHaveLength(3);
    });
  });

  describe('journal notes', () => {
    it("keeps notes newest first, written by the token's subject", async () => {
      const [caseId] = await caseIds();
      const token = await city.token({ subject: 'handlaggare-test-17' });
      const first = ok(
        await city.graphql<{ addJournalNote: { id: string; author: string; text: string } }>(
          ADD_NOTE,
          { caseId, text: '  Första samtalet genomfört.  ' },
          { token },
        ),
      ).addJournalNote;
      expect(first).toMatchObject({ author: 'handlaggare-test-17', text: 'Första samtalet genomfört.' });
      expect(first.id).toMatch(new RegExp(`^note-${UUID}$`));
      const long = 'x'.repeat(10_000);
      ok(await city.graphql(ADD_NOTE, { caseId, text: long }));

      const notes = (await getCase(caseId!))!.notes;
      expect(notes.map((n) => [n.author, n.text])).toEqual([
        ['dev-user-0180', long],
        ['handlaggare-test-17', 'Första samtalet genomfört.'],
      ]);
      expect(notes[0]!.writtenAt >= notes[1]!.writtenAt).toBe(true);
    });

    it('refuses an empty or too long note', async () => {
      const [caseId] = await caseIds();
      const empty = refused(await city.graphql(ADD_NOTE, { caseId, text: ' \n ' }), 'BAD_USER_INPUT');
      expect(empty.extensions.field).toBe('text');
      const tooLong = refused(
        await city.graphql(ADD_NOTE, { caseId, text: 'x'.repeat(10_001) }),
        'BAD_USER_INPUT',
      );
      expect(tooLong.extensions.field).toBe('text');
      refused(await city.graphql(ADD_NOTE, { caseId: 'case-okand', text: 'Hej' }), 'NOT_FOUND');
      expect((await getCase(caseId!))!.notes).toHaveLength(2);
    });
  });

  describe('units', () => {
    let alfa: string; // on sto-test-norr
    let bravo: string; // on sto-central

    beforeAll(async () => {
      const all = await Promise.all((await caseIds()).map(getCase));
      alfa = all.find((c) => c!.personName === 'Testperson Alfa')!.id;
      bravo = all.find((c) => c!.personName === 'Testperson Bravo')!.id;
    });

    it('assigns a handling unit', async () => {
      const assigned = ok(
        await city.graphql<{ assignHandlingUnit: CaseView }>(ASSIGN, {
          caseId: bravo,
          unitId: 'sto-nordvast',
        }),
      );
      expect(assigned.assignHandlingUnit).toMatchObject({
        id: bravo,
        unit: { id: 'sto-nordvast', successor: null, current: { id: 'sto-nordvast' } },
      });
      expect((await getCase(bravo))!.unit.id).toBe('sto-nordvast');
    });

    it('refuses an unknown unit, an unknown case and a merged unit', async () => {
      const unknownUnit = refused(
        await city.graphql(ASSIGN, { caseId: bravo, unitId: 'sto-okand' }),
        'NOT_FOUND',
      );
      expect(unknownUnit.message).toContain('sto-okand');
      refused(await city.graphql(ASSIGN, { caseId: 'case-okand', unitId: 'sto-central' }), 'NOT_FOUND');
      const merged = refused(
        await city.graphql(ASSIGN, { caseId: bravo, unitId: 'sto-rinkeby-kista' }),
        'CONFLICT',
      );
      expect(merged.extensions.rules).toEqual(['UNIT_MERGED']);
      expect(merged.message).toContain(`${NORDVAST} (sto-nordvast)`);
      expect((await getCase(bravo))!.unit.id).toBe('sto-nordvast');
    });

    it('merges two units into a new successor; cases on them follow it', async () => {
      const successor = ok(
        await city.graphql<{ mergeUnits: UnitView }>(MERGE, {
          unitIds: ['sto-test-norr', 'sto-test-soder'],
          successor: {
            id: 'sto-test-nordsyd',
            name: 'Teststadsdel Nord-Syd (fiktiv)',
            kind: 'DISTRICT_BOARD',
          },
        }),
      ).mergeUnits;
      expect(successor).toEqual({
        id: 'sto-test-nordsyd',
        name: 'Teststadsdel Nord-Syd (fiktiv)',
        kind: 'DISTRICT_BOARD',
        successor: null,
        current: { id: 'sto-test-nordsyd' },
      });
      for (const id of ['sto-test-norr', 'sto-test-soder'])
        expect(await unit(id)).toMatchObject({
          successor: { id: 'sto-test-nordsyd' },
          current: { id: 'sto-test-nordsyd' },
        });
      expect(await unit('sto-test-vast')).toMatchObject({
        successor: null,
        current: { id: 'sto-test-vast' },
      });

      // The case keeps its unit; the responsible unit is the successor.
      expect((await getCase(alfa))!.unit).toMatchObject({
        id: 'sto-test-norr',
        successor: { id: 'sto-test-nordsyd' },
        current: { id: 'sto-test-nordsyd' },
      });

      const toMerged = refused(
        await city.graphql(ASSIGN, { caseId: bravo, unitId: 'sto-test-soder' }),
        'CONFLICT',
      );
      expect(toMerged.extensions.rules).toEqual(['UNIT_MERGED']);
      expect(toMerged.message).toContain('Teststadsdel Nord-Syd (fiktiv) (sto-test-nordsyd)');
      expect(
        ok(
          await city.graphql<{ assignHandlingUnit: CaseView }>(ASSIGN, {
            caseId: bravo,
            unitId: 'sto-test-nordsyd',
          }),
        ).assignHandlingUnit.unit.id,
      ).toBe('sto-test-nordsyd');
    });

    it('refuses merging a merged unit, into itself or into a merged unit, and writes nothing', async () => {
      const merge = (unitIds: string[], successor: Record<string, unknown>) =>
        city.graphql(MERGE, { unitIds, successor: { kind: 'DISTRICT_BOARD', ...successor } });
      const unitsBefore = await units();

      const twice = refused(
        await merge(['sto-test-vast', 'sto-test-norr'], { id: 'sto-test-ny', name: 'Ny (fiktiv)' }),
        'CONFLICT',
      );
      expect(twice.extensions.rules).toEqual(['UNIT_ALREADY_MERGED']);
      expect(twice.message).toContain('sto-test-norr');

      const itself = refused(
        await merge(['sto-test-vast'], { id: 'sto-test-vast', name: EXTRA_UNITS[2]!.name }),
        'CONFLICT',
      );
      expect(itself.extensions.rules).toEqual(['UNIT_ALREADY_MERGED']);

      const intoMerged = refused(
        await merge(['sto-test-vast'], { id: 'sto-spanga-tensta', name: 'Spånga-Tensta stadsdelsnämnd' }),
        'CONFLICT',
      );
      expect(intoMerged.extensions.rules).toEqual(['UNIT_ALREADY_MERGED']);
      expect(intoMerged.message).toContain('sto-nordvast');

      const unknown = refused(
        await merge(['sto-test-vast', 'sto-okand'], { id: 'sto-test-ny', name: 'Ny (fiktiv)' }),
        'NOT_FOUND',
      );
      expect(unknown.message).toContain('sto-okand');

      const none = refused(await merge([], { id: 'sto-test-ny', name: 'Ny (fiktiv)' }), 'BAD_USER_INPUT');
      expect(none.extensions.field).toBe('unitIds');
      const duplicate = refused(
        await merge(['sto-test-vast', 'sto-test-vast'], { id: 'sto-test-ny', name: 'Ny (fiktiv)' }),
        'BAD_USER_INPUT',
      );
      expect(duplicate.extensions.field).toBe('unitIds');
      const wrongName = refused(
        await merge(['sto-test-vast'], { id: 'sto-nordvast', name: 'Nordväst' }),
        'BAD_USER_INPUT',
      );
      expect(wrongName.extensions.field).toBe('successor.name');
      const badId = refused(
        await merge(['sto-test-vast'], { id: ' ', name: 'Ny (fiktiv)' }),
        'BAD_USER_INPUT',
      );
      expect(badId.extensions.field).toBe('successor.id');

      expect(await units()).toEqual(unitsBefore);
    });

    it('follows a chain of merges into an existing unit', async () => {
      const merged = ok(
        await city.graphql<{ mergeUnits: UnitView }>(MERGE, {
          unitIds: ['sto-test-nordsyd', 'sto-test-vast'],
          successor: { id: 'sto-nordvast', name: NORDVAST, kind: 'DISTRICT_BOARD' },
        }),
      ).mergeUnits;
      expect(merged).toMatchObject({ id: 'sto-nordvast', successor: null, current: { id: 'sto-nordvast' } });
      expect((await getCase(alfa))!.unit).toMatchObject({
        id: 'sto-test-norr',
        successor: { id: 'sto-test-nordsyd' },
        current: { id: 'sto-nordvast' },
      });
      expect((await getCase(bravo))!.unit).toMatchObject({
        id: 'sto-test-nordsyd',
        current: { id: 'sto-nordvast' },
      });
    });
  });

  describe('closing', () => {
    it('closes a case once; a closed case refuses changes but allows withdrawal', async () => {
      const opened = ok(await openCase(VALID, 'sto-central', 'Testperson Delta')).openCase;
      const consent = ok(
        await city.graphql<{ recordDisclosureBasis: BasisView }>(RECORD_BASIS, {
          input: {
            caseId: opened.id,
            recipientMunicipality: '1280',
            kind: 'CONSENT',
            scope: 'Uppdrag',
            validFrom: '2023-01-01',
          },
        }),
      ).recordDisclosureBasis;

      const before = new Date();
      const closed = ok(await city.graphql<{ closeCase: CaseView }>(CLOSE, { caseId: opened.id })).closeCase;
      expectInstantBetween(closed.closedAt, before, new Date());

      const again = refused(await city.graphql(CLOSE, { caseId: opened.id }), 'CONFLICT');
      expect(again.extensions.rules).toEqual(['CASE_CLOSED']);
      refused(await city.graphql(CLOSE, { caseId: 'case-okand' }), 'NOT_FOUND');

      const changes: [string, Record<string, unknown>][] = [
        [ADD_NOTE, { caseId: opened.id, text: 'Efter stängning' }],
        [ASSIGN, { caseId: opened.id, unitId: 'sto-nordvast' }],
        [
          /* GraphQL */ `
            mutation ($caseId: ID!, $on: Date!) {
              assessThreat(
                caseId: $caseId
                level: LATENT
                assessedByPolice: true
                assessedOn: $on
                source: "BOPS"
              ) {
                id
              }
            }
          `,
          { caseId: opened.id, on: today },
        ],
        [
          RECORD_BASIS,
          {
            input: {
              caseId: opened.id,
              recipientMunicipality: '1480',
              kind: 'CONSENT',
              scope: 'Uppdrag',
              validFrom: '2023-01-01',
            },
          },
        ],
      ];
      for (const [query, variables] of changes) {
        const error = refused(await city.graphql(query, variables), 'CONFLICT');
        expect(error.extensions.rules).toEqual(['CASE_CLOSED']);
      }

      const withdrawn = ok(
        await city.graphql<{ withdrawDisclosureBasis: BasisView }>(WITHDRAW_BASIS, { id: consent.id }),
      ).withdrawDisclosureBasis;
      expect(withdrawn.inForce).toBe(false);

      const read = (await getCase(opened.id))!;
      expect(read).toMatchObject({
        closedAt: closed.closedAt,
        unit: { id: 'sto-central' },
        threat: null,
        notes: [],
        disclosureBases: [{ id: consent.id, inForce: false, withdrawnAt: withdrawn.withdrawnAt }],
      });
    });
  });
});

// The full case record in a city's internal API: a caseworker reads and
// changes the cases of their own unit (and of the units merged into it),
// who sees every unit is the city's configuration, and every read and change
// is in the access log that the city's auditors query and verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalDatabaseKinds, startTestCity, type TestCity } from '../support/internalCity';

const kinds = await internalDatabaseKinds();

const OPEN = /* GraphQL */ `
  mutation Open($input: OpenCaseInput!) {
    openCase(input: $input) {
      id
    }
  }
`;
const LIST = /* GraphQL */ `
  query Cases {
    cases {
      id
      personName
    }
  }
`;
const READ = /* GraphQL */ `
  query Read($id: ID!) {
    case(id: $id) {
      id
      personName
      threat {
        level
      }
    }
  }
`;
const RENAME = /* GraphQL */ `
  mutation Rename($caseId: ID!, $name: String!) {
    updatePerson(caseId: $caseId, personName: $name) {
      id
    }
  }
`;
const NOTE = /* GraphQL */ `
  mutation Note($caseId: ID!) {
    addJournalNote(caseId: $caseId, text: "Samtal genomfört") {
      id
    }
  }
`;
const ACCESS_LOG = /* GraphQL */ `
  query AccessLog($caseId: ID) {
    caseAccessLog(first: 100, caseId: $caseId) {
      sequence
      unit
      subject
      operation
      kind
      cases
      fields
    }
    caseAccessLogVerification {
      ok
      checked
    }
  }
`;

interface LogEntry {
  sequence: number;
  unit: string | null;
  subject: string;
  operation: string;
  kind: string;
  cases: string[];
  fields: string[];
}

describe.each(kinds)('reading and changing case records (%s)', (database) => {
  let city: TestCity;
  let central: string;
  let northWest: string;
  const as = async (subject: string, unit: string | null, permissions: string[]) =>
    city.token({ subject, unit, permissions });

  beforeAll(async () => {
    city = await startTestCity({ code: '0180', database });
    const coordinator = await as('samordnare', 'sto-central', ['coordinator']);
    const open = async (unitId: string, personalIdentityNumber: string) =>
      (
        await city.graphql<{ openCase: { id: string } }>(
          OPEN,
          { input: { personName: 'Testa Testsson', personalIdentityNumber, unitId } },
          { token: coordinator },
        )
      ).data!.openCase.id;
    central = await open('sto-central', '19000302-4569');
    northWest = await open('sto-nordvast', '19000301-1236');
  });
  afterAll(() => city?.stop());

  it('shows a caseworker the cases of their own unit only, another unit’s as not found', async () => {
    const caseworker = await as('handlaggare-central', 'sto-central', ['caseworker']);
    const list = await city.graphql<{ cases: { id: string }[] }>(LIST, {}, { token: caseworker });
    expect(list.data?.cases.map((c) => c.id)).toEqual([central]);
    const other = await city.graphql<{ case: unknown }>(READ, { id: northWest }, { token: caseworker });
    expect(other.data?.case).toBeNull();
    const change = await city.graphql(
      RENAME,
      { caseId: northWest, name: 'Ny Person' },
      { token: caseworker },
    );
    expect(change.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const opened = await city.graphql(
      OPEN,
      { input: { personName: 'X Y', personalIdentityNumber: '19000415-7897', unitId: 'sto-nordvast' } },
      { token: caseworker },
    );
    expect(opened.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const note = await city.graphql(NOTE, { caseId: central }, { token: caseworker });
    expect(note.errors).toBeUndefined();
  });

  it('counts a merged unit as the unit it merged into, and a person without a unit sees nothing', async () => {
    // Spånga-Tensta merged into Nordväst: its caseworkers work on Nordväst's cases.
    const merged = await as('handlaggare-spanga', 'sto-spanga-tensta', ['caseworker']);
    const list = await city.graphql<{ cases: { id: string }[] }>(LIST, {}, { token: merged });
    expect(list.data?.cases.map((c) => c.id)).toEqual([northWest]);
    const nobody = await as('utan-enhet', null, ['caseworker']);
    expect((await city.graphql<{ cases: unknown[] }>(LIST, {}, { token: nobody })).data?.cases).toEqual([]);
  });

  it('lets the permissions the city names see every unit', async () => {
    const coordinator = await as('samordnare', 'sto-central', ['coordinator']);
    const list = await city.graphql<{ cases: { id: string }[] }>(LIST, {}, { token: coordinator });
    expect(list.data?.cases.map((c) => c.id).sort()).toEqual([central, northWest].sort());
  });

  it('logs every read and change with who, which case, which fields and when, and the log verifies', async () => {
    const auditor = await as('granskare', null, ['auditor']);
    const log = await city.graphql<{ caseAccessLog: LogEntry[]; caseAccessLogVerification: { ok: boolean } }>(
      ACCESS_LOG,
      {},
      { token: auditor },
    );
    const entries = log.data!.caseAccessLog;
    expect(log.data!.caseAccessLogVerification.ok).toBe(true);
    expect(entries).toContainEqual(
      expect.objectContaining({
        subject: 'handlaggare-central',
        unit: 'sto-central',
        kind: 'read',
        operation: 'Cases',
        cases: [central],
        fields: expect.arrayContaining(['Case.personName', 'Query.cases']) as unknown,
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        subject: 'handlaggare-central',
        kind: 'change',
        operation: 'Mutation.addJournalNote',
        cases: [central],
        fields: expect.arrayContaining(['argument:caseId', 'argument:text']) as unknown,
      }),
    );
    // The refused change of another unit's case changed nothing and read nothing.
    expect(entries.filter((e) => e.subject === 'handlaggare-central' && e.cases.includes(northWest))).toEqual(
      [],
    );
    const ofNorthWest = await city.graphql<{ caseAccessLog: LogEntry[] }>(
      ACCESS_LOG,
      { caseId: northWest },
      { token: auditor },
    );
    expect(ofNorthWest.data!.caseAccessLog.every((e) => e.cases.includes(northWest))).toBe(true);
    expect(ofNorthWest.data!.caseAccessLog.map((e) => e.subject)).toContain('handlaggare-spanga');
  });

  it('is for auditors only', async () => {
    const caseworker = await as('handlaggare-central', 'sto-central', ['caseworker', 'coordinator']);
    const refused = await city.graphql(ACCESS_LOG, {}, { token: caseworker });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('a city that lets only auditors see every unit', () => {
  let city: TestCity;
  beforeAll(async () => {
    city = await startTestCity({
      code: '0180',
      database: 'pglite',
      configure: (config) => ({ ...config, caseAccess: { everyUnit: ['auditor'] } }),
    });
  });
  afterAll(() => city?.stop());

  it('keeps a coordinator to their own unit', async () => {
    const auditor = await city.token({
      subject: 'granskare',
      unit: null,
      permissions: ['auditor', 'coordinator'],
    });
    await city.graphql(
      OPEN,
      {
        input: {
          personName: 'Testa Testsson',
          personalIdentityNumber: '19000302-4569',
          unitId: 'sto-nordvast',
        },
      },
      { token: auditor },
    );
    const coordinator = await city.token({
      subject: 'samordnare',
      unit: 'sto-central',
      permissions: ['coordinator'],
    });
    expect((await city.graphql<{ cases: unknown[] }>(LIST, {}, { token: coordinator })).data?.cases).toEqual(
      [],
    );
    expect((await city.graphql<{ cases: unknown[] }>(LIST, {}, { token: auditor })).data?.cases).toHaveLength(
      1,
    );
  });
});

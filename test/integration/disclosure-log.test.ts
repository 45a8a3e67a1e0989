// The disclosure log in a real database: append-only for the application,
// and a row changed behind its back (triggers off, as only an owner could)
// is found by verification, which names the entry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, type LogEntryContent } from '../../subgraphs/audit/chain';
import { appendDisclosure, verifyDisclosureLog } from '../../subgraphs/audit/disclosureLog';
import { openDatabase, type CityDatabase } from '../../subgraphs/db/database';
import { applyMigrations } from '../../subgraphs/db/migrate';
import pg from 'pg';
import { databaseKinds, startTestNetwork, type TestNetwork } from '../support/network';
import { createTempDatabase } from '../support/postgres';
import { prepareDataDirectories } from '../../scripts/pgliteTemplate';

const kinds = await databaseKinds();

/** An entry of a plain list request by `subject`; `overrides` change any field. */
const listEntry = (subject: string, overrides: Partial<LogEntryContent> = {}): LogEntryContent => ({
  at: new Date(),
  municipality: '1480',
  unit: null,
  subject,
  permissions: ['caseworker'],
  operation: 'Assignments',
  kind: 'query',
  assignments: [],
  fields: ['Query.assignments'],
  basis: '{}',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  ...overrides,
});

describe.each(kinds)('the disclosure log (%s)', (kind) => {
  let db: CityDatabase;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (kind === 'postgres') {
      const temp = await createTempDatabase();
      db = await openDatabase({ kind: 'postgres', url: temp.url });
      cleanup = temp.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'avhoppare-log-'));
      await prepareDataDirectories([join(dir, 'pgdata')]);
      db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pgdata') });
      cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    }
    await applyMigrations(db);
    for (const subject of ['anna', 'bertil', 'cecilia']) {
      await appendDisclosure(
        db,
        listEntry(subject, {
          municipality: '1280',
          unit: 'mmo-ass',
          assignments: ['asg:0180:1280:00000000-0000-4000-8000-000000000001'],
          fields: ['Assignment.planSummary', 'Query.assignments'],
          basis: '{"asg:0180:1280:00000000-0000-4000-8000-000000000001":"IN_FORCE"}',
        }),
      );
    }
  });
  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });

  it('chains its entries and holds', async () => {
    expect(await verifyDisclosureLog(db.prisma)).toMatchObject({
      ok: true,
      checked: 3,
      firstBrokenSequence: null,
    });
  });

  it('hashes text beyond ASCII exactly as the verifier does', async () => {
    const entry = listEntry('Åsa Öberg-Müller, Spånga–Tensta 💼', {
      at: new Date('2024-03-01T08:30:00.123Z'),
      unit: 'gbg-nordost',
      operation: 'Tilldelning',
      basis: '{"note":"\\"quoted\\" \\u2028 line"}',
    });
    const stored = await appendDisclosure(db, entry);
    expect(stored).toMatchObject({ ...entry, sequence: 4 });
    expect(stored.hash).toBe(entryHash(stored.previousHash, entry));
    expect(await verifyDisclosureLog(db.prisma)).toMatchObject({ ok: true, checked: 4 });
  });

  it('refuses to change or remove an entry', async () => {
    await expect(
      db.exec(`UPDATE "disclosure_log" SET "subject" = 'mallory' WHERE "sequence" = 2`),
    ).rejects.toThrow(/append-only/);
    await expect(db.exec(`DELETE FROM "disclosure_log" WHERE "sequence" = 3`)).rejects.toThrow(/append-only/);
    await expect(db.exec(`TRUNCATE "disclosure_log"`)).rejects.toThrow(/append-only/);
    expect(await verifyDisclosureLog(db.prisma)).toMatchObject({ ok: true, checked: 4 });
  });

  it('names the first tampered entry', async () => {
    await db.exec(`
      ALTER TABLE "disclosure_log" DISABLE TRIGGER USER;
      UPDATE "disclosure_log" SET "fields" = array_append("fields", 'Case.personName') WHERE "sequence" = 2;
      ALTER TABLE "disclosure_log" ENABLE TRIGGER USER;
    `);
    expect(await verifyDisclosureLog(db.prisma)).toEqual({
      ok: false,
      checked: 4,
      firstBrokenSequence: 2,
      anchor: null,
    });
  });
});

describe.each(kinds)('the disclosure log under concurrent requests (%s)', (kind) => {
  let db: CityDatabase;
  let cleanup: () => Promise<void>;
  const statements: string[] = [];
  beforeAll(async () => {
    const onQuery = (sql: string) => statements.push(sql);
    if (kind === 'postgres') {
      const temp = await createTempDatabase();
      db = await openDatabase({ kind: 'postgres', url: temp.url, onQuery });
      cleanup = temp.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'avhoppare-log-'));
      await prepareDataDirectories([join(dir, 'pgdata')]);
      db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pgdata'), onQuery });
      cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    }
    await applyMigrations(db);
  });
  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });

  it('stores every entry once, in one chain, one statement per batch', async () => {
    statements.length = 0;
    const subjects = Array.from({ length: 40 }, (_, i) => `person-${i}`);
    const stored = await Promise.all(subjects.map((subject) => appendDisclosure(db, listEntry(subject))));

    const writes = [...statements];
    // Each caller gets its own entry back.
    expect(stored.map((entry) => entry.subject)).toEqual(subjects);
    expect(new Set(stored.map((entry) => entry.sequence)).size).toBe(40);
    expect(await verifyDisclosureLog(db.prisma)).toMatchObject({ ok: true, checked: 40 });
    const batches = writes.filter((sql) => sql.includes('disclosure_log_append(')).length;
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThan(40);
    // Lock, newest hash and insert all run inside that one statement.
    expect(writes).toHaveLength(batches);
  });
});

describe.runIf(kinds.includes('postgres'))('the disclosure log written by two processes at once', () => {
  let first: CityDatabase;
  let second: CityDatabase;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    // Two pools on one database: what two replicas of a city would hold.
    const temp = await createTempDatabase();
    drop = temp.drop;
    first = await openDatabase({ kind: 'postgres', url: temp.url });
    second = await openDatabase({ kind: 'postgres', url: temp.url });
    await applyMigrations(first);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await drop?.();
  });

  it('keeps one chain: the lock is taken in the database, the newest hash read after it', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        appendDisclosure(i % 2 === 0 ? first : second, listEntry(`person-${i}`)),
      ),
    );
    expect(await verifyDisclosureLog(first.prisma)).toMatchObject({ ok: true, checked: 30 });
  });
});

describe.runIf(kinds.includes('postgres'))('a disclosure that cannot be recorded', () => {
  let network: TestNetwork;
  let stockholm: pg.Client;
  beforeAll(async () => {
    network = await startTestNetwork({ database: 'postgres' });
    stockholm = new pg.Client({ connectionString: network.cities.get('0180')!.spec.databaseUrl });
    await stockholm.connect();
  });
  afterAll(async () => {
    await stockholm?.end();
    await network?.stop();
  });

  const READ = /* GraphQL */ `
    query Read($id: ID!) {
      assignment(id: $id) {
        id
        status
      }
    }
  `;
  const id = 'asg:0180:1280:00000000-0000-4000-8000-000000000001';

  it('is not made: the other party gets an error and no data', async () => {
    expect((await network.query('1280', READ, { id })).data).toEqual({
      assignment: { id, status: expect.any(String) as unknown },
    });
    // The log refuses every new entry, as a full disk or a lost privilege would.
    await stockholm.query(`
      CREATE FUNCTION refuse_log_entry() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END; $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_log_entry BEFORE INSERT ON disclosure_log
        FOR EACH ROW EXECUTE FUNCTION refuse_log_entry();
    `);
    try {
      const withheld = await network.query('1280', READ, { id });
      expect(withheld.data?.assignment ?? null).toBeNull();
      expect(withheld.errors?.[0]?.extensions).toMatchObject({
        code: 'INTERNAL_SERVER_ERROR',
        municipality: '0180',
      });
    } finally {
      await stockholm.query(
        `DROP TRIGGER refuse_log_entry ON disclosure_log; DROP FUNCTION refuse_log_entry()`,
      );
    }
    expect((await network.query('1280', READ, { id })).errors).toBeUndefined();
  });
});

// Tampering with a city's logs. As the city's runtime role (the role it
// runs as on PostgreSQL) every way to rewrite a log fails: update, delete,
// truncate, disabling the trigger, moving the sequence. A rolled-back append
// leaves a gap that is no break. And the city's own administrator, who owns
// the tables and can rewrite an entry and hash the chain again, is found out
// by the checkpoints the other cities hold: audit:verify names the first
// checkpoint that no longer matches and which city holds it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAccess, verifyAccessLog } from '../../subgraphs/audit/accessLog';
import { entryHash, type LogEntryContent } from '../../subgraphs/audit/chain';
import { appendDisclosure, verifyDisclosureLog } from '../../subgraphs/audit/disclosureLog';
import { openDatabase, type CityDatabase } from '../../subgraphs/db/database';
import { applyMigrations } from '../../subgraphs/db/migrate';
import { grantRuntimeRole, runtimeRoleProblems } from '../../subgraphs/db/roles';
import { databaseKinds, startTestNetwork, type TestNetwork } from '../support/network';
import { createTempDatabase } from '../support/postgres';
import { createRuntimeRole } from '../support/roles';
import { prepareDataDirectories } from '../../scripts/pgliteTemplate';

const kinds = await databaseKinds();
const ROOT = new URL('../..', import.meta.url).pathname;

const entry = (subject: string): LogEntryContent => ({
  at: new Date(),
  municipality: '1280',
  unit: 'mmo-ass',
  subject,
  permissions: ['caseworker'],
  operation: 'Assignments',
  kind: 'query',
  assignments: ['asg:0180:1280:00000000-0000-4000-8000-000000000001'],
  fields: ['Query.assignments'],
  basis: '{}',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
});

describe.each(kinds)('a rolled-back append (%s)', (kind) => {
  let db: CityDatabase;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (kind === 'postgres') {
      const temp = await createTempDatabase();
      db = await openDatabase({ kind: 'postgres', url: temp.url });
      cleanup = temp.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'avhoppare-gap-'));
      await prepareDataDirectories([join(dir, 'pgdata')]);
      db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pgdata') });
      cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    }
    await applyMigrations(db);
  });
  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });

  it('leaves a sequence gap that verifies', async () => {
    await appendDisclosure(db, entry('first'));
    await db
      .transaction(async (tx) => {
        await tx.query(`SELECT * FROM disclosure_log_append($1::jsonb)`, [
          JSON.stringify([
            { ...entry('rolled back'), roles: [], at: new Date().toISOString(), tail: '"x"]' },
          ]),
        ]);
        throw new Error('the request failed after its entry');
      })
      .catch(() => {});
    const last = await appendDisclosure(db, entry('after'));
    expect(last.sequence).toBe(3);
    expect(await verifyDisclosureLog(db.prisma)).toMatchObject({
      ok: true,
      checked: 2,
      anchor: { sequence: 3 },
    });
  });
});

describe.runIf(kinds.includes('postgres'))('the runtime role', () => {
  let owner: CityDatabase;
  let runtime: CityDatabase;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const temp = await createTempDatabase();
    const role = await createRuntimeRole(temp.url);
    drop = async () => {
      await temp.drop();
      await role.drop();
    };
    owner = await openDatabase({ kind: 'postgres', url: temp.url });
    runtime = await openDatabase({ kind: 'postgres', url: role.url });
    await applyMigrations(owner);
    await grantRuntimeRole(owner, runtime);
    await appendDisclosure(runtime, entry('anna'));
    await appendAccess(runtime, {
      at: new Date(),
      unit: 'sto-central',
      subject: 'anna',
      permissions: ['caseworker'],
      operation: 'Cases',
      kind: 'read',
      cases: ['case-1'],
      fields: ['Case.personName'],
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
  });
  afterAll(async () => {
    await runtime?.close();
    await owner?.close();
    await drop?.();
  });

  it('adds to the logs and reads them, and could rewrite nothing (no start-up problem)', async () => {
    expect(await verifyDisclosureLog(runtime.prisma)).toMatchObject({ ok: true, checked: 1 });
    expect(await verifyAccessLog(runtime.prisma)).toMatchObject({ ok: true, checked: 1 });
    expect(await runtimeRoleProblems(runtime)).toEqual([]);
    // The owner (here a superuser) is what production refuses to run as.
    expect((await runtimeRoleProblems(owner)).join()).toContain(
      'is a superuser and could rewrite disclosure_log',
    );
  });

  it.each([
    ['disclosure_log', 'disclosure_log_sequence_seq'],
    ['case_access_log', 'case_access_log_sequence_seq'],
  ])('fails at every tamper with %s', async (table, sequence) => {
    const attempts = [
      `UPDATE "${table}" SET "subject" = 'mallory'`,
      `DELETE FROM "${table}"`,
      `TRUNCATE "${table}"`,
      `ALTER TABLE "${table}" DISABLE TRIGGER USER`,
      `SELECT setval('${sequence}', 1)`,
    ];
    for (const sql of attempts) {
      await expect(runtime.exec(sql), sql).rejects.toThrow(/permission denied|must be owner/);
    }
    expect(await verifyDisclosureLog(runtime.prisma)).toMatchObject({ ok: true });
  });

  it('cannot change the checkpoints either', async () => {
    for (const table of ['log_checkpoint', 'held_checkpoint'])
      await expect(runtime.exec(`DELETE FROM "${table}"`)).rejects.toThrow(/permission denied/);
  });
});

describe.runIf(kinds.includes('postgres'))('a log rewritten by its own administrator', () => {
  let network: TestNetwork;
  let auditorToken: string;
  beforeAll(async () => {
    network = await startTestNetwork({
      production: true,
      database: 'postgres',
      env: { CHECKPOINT_EVERY_ENTRIES: '1' },
    });
    auditorToken = await network.identityProvider!.mint('0180', {
      permissions: ['auditor'],
      subject: 'revisor',
    });
    // A production network starts each city twice (demo data first, in development): give it time.
  }, 400_000);
  afterAll(() => network?.stop());

  const verify = () => {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/audit-verify.ts',
        '--municipality',
        '0180',
        '--url',
        network.cities.get('0180')!.url,
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, AUDITOR_TOKEN: auditorToken },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  interface Comparison {
    holder: string;
    log: string;
    checked: number;
    firstMismatch: unknown;
  }
  const comparisons = async () =>
    (
      await network.internal<{ logCheckpoints: Comparison[] }>(
        '0180',
        '{ logCheckpoints { holder log checked firstMismatch { sequence } } }',
        undefined,
        ['auditor'],
      )
    ).data!.logCheckpoints;

  it('is found by the checkpoints the other cities hold', async () => {
    // Stockholm discloses to Malmö and to Göteborg; its auditor reads the log (an access log entry too).
    await network.query(
      '1280',
      '{ assignments(first: 10) { edges { node { id planSummary { items { category } } } } } }',
    );
    await network.query('1480', '{ assignments(first: 10) { edges { node { id status } } } }');
    // Until both other cities hold a checkpoint of Stockholm's disclosure log.
    const deadline = Date.now() + 60_000;
    let held = await comparisons();
    while (held.filter((c) => c.log === 'disclosure' && c.checked > 0).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      held = await comparisons();
    }
    expect(
      held
        .filter((c) => c.log === 'disclosure' && c.checked > 0)
        .map((c) => c.holder)
        .sort(),
    ).toEqual(['1280', '1480']);
    const before = verify();
    expect(before.output).toContain('The disclosure log of 0180 holds together');
    expect(before.output).toMatch(/1280 holds \d+ checkpoints of the disclosure log; every one matches/);
    expect(before.status).toBe(0);

    // The administrator, with the owner's rights: rewrite the first entry and hash the chain again.
    const admin = new pg.Client({ connectionString: network.cities.get('0180')!.spec.databaseOwnerUrl });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query('ALTER TABLE disclosure_log DISABLE TRIGGER USER');
      const { rows } = await admin.query<Record<string, unknown>>(
        'SELECT * FROM disclosure_log ORDER BY sequence',
      );
      let previous = '0'.repeat(64);
      for (const [i, row] of rows.entries()) {
        const content: LogEntryContent = {
          at: row.at as Date,
          municipality: row.municipality as string,
          unit: row.unit as string | null,
          subject: i === 0 ? 'someone-else' : (row.subject as string),
          permissions: row.roles as string[],
          operation: row.operation as string,
          kind: row.kind as string,
          assignments: row.assignments as string[],
          fields: row.fields as string[],
          basis: row.basis as string,
          traceId: row.trace_id as string,
        };
        const hash = entryHash(previous, content);
        await admin.query(
          'UPDATE disclosure_log SET subject = $1, previous_hash = $2, hash = $3 WHERE sequence = $4',
          [content.subject, previous, hash, row.sequence],
        );
        previous = hash;
      }
      await admin.query('ALTER TABLE disclosure_log ENABLE TRIGGER USER');
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }

    const after = verify();
    expect(after.status).toBe(1);
    // The chain itself holds: it was hashed again. The checkpoints do not.
    expect(after.output).toContain('The disclosure log of 0180 holds together');
    expect(after.output).toMatch(
      /MISMATCH: the checkpoint of the disclosure log at entry #\d+ \([^)]*\), held by 1280, no longer matches: the entry there now has another hash/,
    );
    expect(after.output).toMatch(/held by 1480, no longer matches/);
  });

  it('is not verified without an auditor’s real token', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit-verify.ts', '--municipality', '0180'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(2);
    expect(`${result.stdout}${result.stderr}`).toContain('AUDITOR_TOKEN or --token-file');
  });
});

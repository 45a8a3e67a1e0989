// The digest a city compares with each other city, computed in SQL: per
// shared assignment its status, the newest decided (home) or agreed
// (receiving) plan version, and the costs summed to the cent; assignments
// shared with a third city are left out, and those with a change still on its
// way are marked. Real PGlite always, and PostgreSQL where it answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatId } from '../../schema/contract/ids';
import { prepareDataDirectories } from '../../scripts/pgliteTemplate';
import { loadCityConfig } from '../../subgraphs/config';
import { openDatabase, type CityDatabase } from '../../subgraphs/db/database';
import { applyMigrations } from '../../subgraphs/db/migrate';
import { seedCity } from '../../subgraphs/db/seed';
import { digestWith } from '../../subgraphs/peer/consistency';
import { internalDatabaseKinds } from '../support/internalCity';
import { decidedContactPersonItem } from '../support/digestRecords';
import { createTempDatabase } from '../support/postgres';

const stockholm = await loadCityConfig({ code: '0180' });
const kinds = await internalDatabaseKinds();
const at = new Date('2025-03-01T00:00:00.000Z');

/** Stockholm's records: two assignments sent to Malmö, one to Göteborg, two received. */
async function seed(db: CityDatabase) {
  await seedCity(db.prisma, stockholm, false);
  await db.prisma.case.create({
    data: {
      id: 'case-digest',
      personName: 'Demo Digest',
      personalIdentityNumber: '19000101-0008',
      unitId: 'sto-central',
    },
  });
  const sent = (receiving: string) => formatId('asg', '0180', receiving);
  const [planned, bare, elsewhere] = [sent('1280'), sent('1280'), sent('1480')];
  for (const id of [planned, bare, elsewhere]) {
    await db.prisma.assignment.create({
      data: {
        id,
        caseId: 'case-digest',
        homeMunicipality: '0180',
        receivingMunicipality: id.split(':')[2]!,
        status: id === bare ? 'PROPOSED' : 'ACTIVE',
        proposedAt: at,
        updatedAt: at,
      },
    });
  }
  const item = formatId('item', '0180', '1280');
  for (const [version, decidedAt] of [
    [1, at],
    [2, at],
    [3, null],
  ] as const) {
    await db.prisma.planVersion.create({
      data: {
        id: `${planned}#plan-${version}`,
        assignmentId: planned,
        version,
        status: decidedAt ? 'DECIDED' : 'PROPOSED',
        proposedAt: at,
        decidedAt,
        ...(version === 1
          ? {
              items: {
                create: decidedContactPersonItem(item, at),
              },
            }
          : {}),
      },
    });
  }
  for (const gross of ['1234.50', '0.25', '99999.99']) {
    await db.prisma.costReport.create({
      data: {
        id: formatId('cost', '0180', '1280'),
        assignmentId: planned,
        planItemId: item,
        category: 'CONTACT_PERSON',
        date: at,
        gross,
        reportedAt: at,
      },
    });
  }

  const fromMalmo = formatId('asg', '1280', '0180');
  const fromGoteborg = formatId('asg', '1480', '0180');
  for (const id of [fromMalmo, fromGoteborg]) {
    await db.prisma.incomingAssignment.create({
      data: {
        id,
        homeMunicipality: id.split(':')[1]!,
        receivingMunicipality: '0180',
        status: 'ACTIVE',
        receivedAt: at,
        updatedAt: at,
      },
    });
  }
  const received = (version: number, status: 'AGREED' | 'PROPOSED') => ({
    id: formatId('item', '1280', '0180'),
    assignmentId: fromMalmo,
    planVersion: version,
    status,
    category: 'CONTACT_PERSON' as const,
    plannedFrom: at,
    plannedTo: at,
    estimatedCost: '500.00',
  });
  const agreed = received(4, 'AGREED');
  await db.prisma.receivedPlanItem.createMany({
    data: [received(2, 'AGREED'), agreed, received(5, 'PROPOSED')],
  });
  for (const [amount, key] of [
    ['10.10', 'a'],
    ['5.05', 'b'],
  ] as const) {
    await db.prisma.costEntry.create({
      data: {
        id: formatId('cost', '1280', '0180'),
        assignmentId: fromMalmo,
        planItemId: agreed.id,
        category: 'CONTACT_PERSON',
        date: at,
        amount,
        description: 'Samtal',
        idempotencyKey: key,
      },
    });
  }
  // A change about the bare assignment is still on its way to Malmö.
  await db.prisma.outboxMessage.create({
    data: {
      id: '00000000-0000-4000-8000-000000000001',
      recipient: '1280',
      assignmentId: bare,
      kind: 'assignmentWithdrawn',
      payload: {},
      createdAt: at,
      nextAttemptAt: at,
    },
  });
  return { planned, bare, fromMalmo };
}

describe.each(kinds)('the consistency digest (%s)', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-digest-'));
  let db: CityDatabase;
  let drop = async () => {};
  let ids: Awaited<ReturnType<typeof seed>>;

  beforeAll(async () => {
    if (kind === 'postgres') {
      const temp = await createTempDatabase();
      drop = temp.drop;
      db = await openDatabase({ kind: 'postgres', url: temp.url });
    } else {
      await prepareDataDirectories([join(dir, 'pgdata')]);
      db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pgdata') });
    }
    await applyMigrations(db);
    ids = await seed(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sums to the cent, counts only decided or agreed plans, and marks what is on its way', async () => {
    const expected = [
      { assignmentId: ids.planned, status: 'ACTIVE', planVersion: 2, costTotal: '101234.74', pending: false },
      { assignmentId: ids.bare, status: 'PROPOSED', planVersion: 0, costTotal: '0.00', pending: true },
      { assignmentId: ids.fromMalmo, status: 'ACTIVE', planVersion: 4, costTotal: '15.15', pending: false },
    ].sort((a, b) => (a.assignmentId < b.assignmentId ? -1 : 1));
    expect(await digestWith(db.prisma, '1280')).toEqual(expected);
  });

  it('leaves out what the city shares with a third city', async () => {
    const lines = await digestWith(db.prisma, '1480');
    expect(lines.map((l) => l.assignmentId)).not.toContain(ids.planned);
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.costTotal === '0.00' && l.planVersion === 0)).toBe(true);
  });
});

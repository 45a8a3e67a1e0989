// Two cities' real databases compare what they share through the digest
// questions as the peer endpoint parses and answers them: bucket hashes
// first, lines only for the buckets that differ, repairs only of the facts
// the asking city owns. The other city's answers are also played false, as a
// city an attacker controls would: malformed, off the pair, or an older
// version that knows no buckets. Real PGlite always, and PostgreSQL where it
// answers.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AGREEMENTS } from '../../schema/contract/agreements';
import { ErrorCode, peerRefusal } from '../../schema/contract/errors';
import { formatId } from '../../schema/contract/ids';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { prepareDataDirectories } from '../../scripts/pgliteTemplate';
import type { CityConfig } from '../../subgraphs/city';
import { loadCityConfig } from '../../subgraphs/config';
import { openDatabase, type CityDatabase } from '../../subgraphs/db/database';
import { applyMigrations } from '../../subgraphs/db/migrate';
import { seedCity } from '../../subgraphs/db/seed';
import {
  consistencyChecker,
  digestBucketsWith,
  type ComparisonObserved,
  type ConsistencyChecker,
} from '../../subgraphs/peer/consistency';
import {
  DIGEST_BUCKETS,
  digestBucketOf,
  type DigestBucket,
  type DigestLine,
  parseEnvelope,
  type PeerReply,
  type ReadMessage,
} from '../../subgraphs/peer/protocol';
import { answerRead } from '../../subgraphs/peer/reads';
import { PeerUnavailableError } from '../../subgraphs/peer/client';
import { internalDatabaseKinds } from '../support/internalCity';
import { decidedContactPersonItem } from '../support/digestRecords';
import { createTempDatabase } from '../support/postgres';

const STOCKHOLM = '0180';
const MALMO = '1280';
const [stockholm, malmo] = await Promise.all([
  loadCityConfig({ code: STOCKHOLM }),
  loadCityConfig({ code: MALMO }),
]);
const kinds = await internalDatabaseKinds();
const at = new Date('2025-03-01T00:00:00.000Z');

/** An id in a chosen digest bucket: the bucket is its last two hex digits. */
const idIn = (kind: 'asg' | 'item' | 'cost', home: string, receiving: string, n: number, bucket: string) =>
  formatId(kind, home, receiving, `00000000-0000-4000-8000-${n.toString(16).padStart(10, '0')}${bucket}`);

/** Assignments `home` sent and `receiving` took on, both sides agreeing: active, plan 1, one cost of 100 kr. */
async function share(
  from: { db: CityDatabase; config: CityConfig },
  to: { db: CityDatabase; config: CityConfig },
  buckets: readonly string[],
) {
  const [home, receiving] = [from.config.code, to.config.code];
  const caseId = `case-${home}`;
  const unit = await from.db.prisma.unit.findFirstOrThrow({ orderBy: { id: 'asc' } });
  await from.db.prisma.case.upsert({
    where: { id: caseId },
    create: {
      id: caseId,
      personName: 'Demo Jämförsson',
      personalIdentityNumber: '19000101-0008',
      unitId: unit.id,
    },
    update: {},
  });
  const ids: string[] = [];
  for (const [n, bucket] of buckets.entries()) {
    const id = idIn('asg', home, receiving, n, bucket);
    const item = idIn('item', home, receiving, n, bucket);
    ids.push(id);
    await from.db.prisma.assignment.create({
      data: {
        id,
        caseId,
        homeMunicipality: home,
        receivingMunicipality: receiving,
        agreementId: AGREEMENTS[0]!.id,
        status: 'ACTIVE',
        proposedAt: at,
        updatedAt: at,
      },
    });
    await from.db.prisma.planVersion.create({
      data: {
        id: `${id}#plan-1`,
        assignmentId: id,
        version: 1,
        status: 'DECIDED',
        proposedAt: at,
        decidedAt: at,
        items: {
          create: decidedContactPersonItem(item, at),
        },
      },
    });
    // The same cost on both sides: reported to the home city, entered in the receiving city.
    const cost = {
      id: idIn('cost', home, receiving, n, bucket),
      assignmentId: id,
      planItemId: item,
      category: 'CONTACT_PERSON' as const,
      date: at,
    };
    await from.db.prisma.costReport.create({ data: { ...cost, gross: '100.00', reportedAt: at } });
    await to.db.prisma.incomingAssignment.create({
      data: {
        id,
        homeMunicipality: home,
        receivingMunicipality: receiving,
        status: 'ACTIVE',
        receivedAt: at,
        updatedAt: at,
      },
    });
    await to.db.prisma.receivedPlanItem.create({
      data: {
        id: item,
        assignmentId: id,
        planVersion: 1,
        status: 'AGREED',
        category: 'CONTACT_PERSON',
        plannedFrom: at,
        plannedTo: at,
        estimatedCost: '1000.00',
      },
    });
    await to.db.prisma.costEntry.create({
      data: { ...cost, amount: '100.00', description: 'Samtal', idempotencyKey: `sweep-${n}` },
    });
  }
  return ids;
}

const cities = {} as Record<'stockholm' | 'malmo', { db: CityDatabase; config: CityConfig }>;

describe.each(kinds)('the consistency check between two cities (%s)', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-sweep-'));
  const drops: (() => Promise<void>)[] = [];
  let sent: string[] = [];
  let received: string[] = [];
  /** What Stockholm asked Malmö, in order. */
  let asked: ReadMessage[] = [];
  /** How Malmö answers: truthfully, from its records, unless a test plays it false. */
  let malmoAnswers: (message: ReadMessage) => PeerReply | Promise<PeerReply>;

  const truthfully = (message: ReadMessage) =>
    answerRead({ city: malmo, db: cities.malmo.db, sender: STOCKHOLM, now: new Date() }, message);

  const checker = (
    options: {
      bucketsPerCheck?: number;
      observe?: (c: MunicipalityCode, o: ComparisonObserved) => void;
    } = {},
  ): ConsistencyChecker =>
    consistencyChecker({
      city: STOCKHOLM,
      db: cities.stockholm.db,
      dispatcher: { kick: () => {} },
      counterparties: () => [MALMO],
      ...options,
      // Through the endpoint's own parse, as a real question arrives.
      ask: async (_to, message) => {
        const envelope = parseEnvelope(JSON.parse(JSON.stringify({ id: randomUUID(), message })));
        if (!envelope) return peerRefusal(ErrorCode.MALFORMED_MESSAGE, 'not a message');
        asked.push(envelope.message as ReadMessage);
        return malmoAnswers(envelope.message as ReadMessage);
      },
    });

  const outbox = () =>
    cities.stockholm.db.prisma.outboxMessage.findMany({
      select: { assignmentId: true, kind: true, recipient: true },
    });

  beforeAll(async () => {
    for (const [name, config] of [
      ['stockholm', stockholm],
      ['malmo', malmo],
    ] as const) {
      let db: CityDatabase;
      if (kind === 'postgres') {
        const temp = await createTempDatabase();
        drops.push(temp.drop);
        db = await openDatabase({ kind: 'postgres', url: temp.url });
      } else {
        await prepareDataDirectories([join(dir, name)]);
        db = await openDatabase({ kind: 'pglite', dataDir: join(dir, name) });
      }
      await applyMigrations(db);
      await seedCity(db.prisma, config, false);
      cities[name] = { db, config };
    }
    // Spread over buckets, a few sharing one; one assignment the other way.
    sent = await share(cities.stockholm, cities.malmo, ['00', '00', '3c', '7f', 'a1', 'ff']);
    received = await share(cities.malmo, cities.stockholm, ['80']);
  });
  afterAll(async () => {
    for (const city of Object.values(cities)) await city.db.close();
    for (const drop of drops) await drop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    asked = [];
    malmoAnswers = truthfully;
    await cities.stockholm.db.prisma.outboxMessage.deleteMany();
  });

  /** Runs the `changes` on Malmö's records, then the `undo` statements that put them back. */
  async function whileMalmoDiffers(changes: string[], undo: string[], check: () => Promise<void>) {
    for (const statement of changes) await cities.malmo.db.prisma.$executeRawUnsafe(statement);
    try {
      await check();
    } finally {
      for (const statement of undo) await cities.malmo.db.prisma.$executeRawUnsafe(statement);
    }
  }

  it('hashes every bucket alike on both sides, so agreeing cities exchange no lines', async () => {
    const ours = await digestBucketsWith(cities.stockholm.db.prisma, MALMO);
    const theirs = await digestBucketsWith(cities.malmo.db.prisma, STOCKHOLM);
    expect(ours.map((b) => b.bucket).sort()).toEqual(['00', '3c', '7f', '80', 'a1', 'ff']);
    expect(theirs.sort((a, b) => a.bucket.localeCompare(b.bucket))).toEqual(
      ours.sort((a, b) => a.bucket.localeCompare(b.bucket)),
    );
    expect(ours.find((b) => b.bucket === '00')?.count).toBe(2);

    const comparison = await checker().compare(MALMO, { repair: true });
    expect(comparison).toEqual({ counterparty: MALMO, agreeing: 7, catchingUp: 0, differences: [] });
    expect(asked.map((m) => m.kind)).toEqual(['digestBuckets']);
    expect(await outbox()).toEqual([]);
  });

  it('finds a difference from its bucket’s lines alone, and repairs only what it owns', async () => {
    const [statusDiffers] = sent.filter((id) => digestBucketOf(id) === '7f');
    const [costDiffers] = sent.filter((id) => digestBucketOf(id) === 'a1');
    await whileMalmoDiffers(
      [
        `UPDATE incoming_assignment SET status = 'ACCEPTED' WHERE id = '${statusDiffers}'`,
        `UPDATE cost_entry SET amount = 250.00 WHERE assignment_id = '${costDiffers}'`,
      ],
      [
        `UPDATE incoming_assignment SET status = 'ACTIVE' WHERE id = '${statusDiffers}'`,
        `UPDATE cost_entry SET amount = 100.00 WHERE assignment_id = '${costDiffers}'`,
      ],
      async () => {
        const comparison = await checker().compare(MALMO, { repair: true });
        expect(comparison.agreeing).toBe(5);
        expect(comparison.differences).toEqual([
          { assignmentId: statusDiffers, fields: ['status'] },
          { assignmentId: costDiffers, fields: ['costTotal'] },
        ]);
        // Lines of the two differing buckets only.
        expect(asked).toEqual([
          { kind: 'digestBuckets', buckets: DIGEST_BUCKETS },
          { kind: 'digest', buckets: ['7f', 'a1'] },
        ]);
        // Stockholm owns the status, and sends its state; the cost is Malmö's to repair.
        expect(await outbox()).toEqual([
          { assignmentId: statusDiffers, kind: 'homeState', recipient: MALMO },
        ]);
      },
    );
  });

  it('sends a repair once while it waits, and not again within the hour after it was acknowledged', async () => {
    const [statusDiffers] = sent.filter((id) => digestBucketOf(id) === '7f');
    await whileMalmoDiffers(
      [`UPDATE incoming_assignment SET status = 'ACCEPTED' WHERE id = '${statusDiffers}'`],
      [`UPDATE incoming_assignment SET status = 'ACTIVE' WHERE id = '${statusDiffers}'`],
      async () => {
        const repair = { assignmentId: statusDiffers, kind: 'homeState', recipient: MALMO };
        // Malmö keeps differing: the repair waiting already is not queued again.
        await checker().compare(MALMO, { repair: true });
        await checker().compare(MALMO, { repair: true });
        expect(await outbox()).toEqual([repair]);
        // Acknowledged, yet Malmö still differs (it lies, or lost it again): not within the hour...
        const acknowledged = (minutesAgo: number) =>
          cities.stockholm.db.prisma.outboxMessage.updateMany({
            data: { deliveredAt: new Date(Date.now() - minutesAgo * 60_000), outcome: 'applied' },
          });
        await acknowledged(59);
        await checker().compare(MALMO, { repair: true });
        expect(await outbox()).toEqual([repair]);
        // ...and again after it.
        await acknowledged(61);
        await checker().compare(MALMO, { repair: true });
        expect(await outbox()).toEqual([repair, repair]);
      },
    );
  });

  it('repairs the costs it bore as the receiving city', async () => {
    const [id] = received;
    await whileMalmoDiffers(
      [`UPDATE cost_report SET gross = 90.00 WHERE assignment_id = '${id}'`],
      [`UPDATE cost_report SET gross = 100.00 WHERE assignment_id = '${id}'`],
      async () => {
        const comparison = await checker().compare(MALMO, { repair: true });
        expect(comparison.differences).toEqual([{ assignmentId: id, fields: ['costTotal'] }]);
        expect(await outbox()).toEqual([{ assignmentId: id, kind: 'receivingState', recipient: MALMO }]);
      },
    );
  });

  it('sweeps a slice at a time after a first full check, and looks again at each bucket that differed until it agrees', async () => {
    const [costDiffers] = sent.filter((id) => digestBucketOf(id) === 'ff');
    const seen: ComparisonObserved[] = [];
    const periodic = checker({ bucketsPerCheck: 128, observe: (_, o) => seen.push(o) });
    const [first, second] = [DIGEST_BUCKETS.slice(0, 128), DIGEST_BUCKETS.slice(128)];
    await whileMalmoDiffers(
      [`UPDATE cost_entry SET amount = 1.00 WHERE assignment_id = '${costDiffers}'`],
      [`UPDATE cost_entry SET amount = 100.00 WHERE assignment_id = '${costDiffers}'`],
      async () => {
        for (let run = 0; run < 3; run += 1) expect(await periodic.checkAll()).toBe(true);
      },
    );
    for (let run = 0; run < 2; run += 1) expect(await periodic.checkAll()).toBe(true);
    const slices = asked.filter((m) => m.kind === 'digestBuckets').map((m) => m.buckets);
    expect(slices).toEqual([DIGEST_BUCKETS, [...first, 'ff'], second, [...first, 'ff'], second]);
    // Malmö's cost is Malmö's to repair: found each time until its copy agrees again.
    expect(seen).toEqual([
      { found: 1, standing: 1, repaired: 0 },
      { found: 1, standing: 1, repaired: 0 },
      { found: 1, standing: 1, repaired: 0 },
      { found: 0, standing: 0, repaired: 0 },
      { found: 0, standing: 0, repaired: 0 },
    ]);
  });

  it('asks a city that did not answer, or not yet, the same slice again, and does not let an unusable answer hold the sweep up', async () => {
    const periodic = checker({ bucketsPerCheck: 128 });
    const [first, second] = [DIGEST_BUCKETS.slice(0, 128), DIGEST_BUCKETS.slice(128)];
    expect(await periodic.checkAll()).toBe(true);
    malmoAnswers = () => ({ ok: true, result: { buckets: 'everything agrees' } });
    expect(await periodic.checkAll()).toBe(false);
    malmoAnswers = () => Promise.reject(new PeerUnavailableError(MALMO, 'timed out'));
    expect(await periodic.checkAll()).toBe(false);
    // Stockholm has asked Malmö as much as Malmö answers for now.
    malmoAnswers = () => peerRefusal(ErrorCode.QUESTIONS_OVER_BUDGET, 'Ask again later');
    expect(await periodic.checkAll()).toBe(false);
    malmoAnswers = truthfully;
    expect(await periodic.checkAll()).toBe(true);
    expect(await periodic.checkAll()).toBe(true);
    const slices = asked.filter((m) => m.kind === 'digestBuckets').map((m) => m.buckets);
    expect(slices).toEqual([DIGEST_BUCKETS, first, second, second, second, first]);
  });

  it('asks an older city that knows no buckets for all its lines, and still finds the difference', async () => {
    const [statusDiffers] = sent.filter((id) => digestBucketOf(id) === '3c');
    malmoAnswers = (message) =>
      message.kind === 'digestBuckets' || 'buckets' in message
        ? peerRefusal(ErrorCode.MALFORMED_MESSAGE, 'Unknown question')
        : truthfully(message);
    await whileMalmoDiffers(
      [`UPDATE incoming_assignment SET status = 'COMPLETED' WHERE id = '${statusDiffers}'`],
      [`UPDATE incoming_assignment SET status = 'ACTIVE' WHERE id = '${statusDiffers}'`],
      async () => {
        const comparison = await checker().compare(MALMO, { buckets: ['3c', '80'] });
        expect(asked.map((m) => m.kind)).toEqual(['digestBuckets', 'digest']);
        expect(asked[1]).toEqual({ kind: 'digest' });
        // Of all Malmö's lines, only those of the buckets compared count.
        expect(comparison).toEqual({
          counterparty: MALMO,
          agreeing: 1,
          catchingUp: 0,
          differences: [{ assignmentId: statusDiffers, fields: ['status'] }],
        });
      },
    );
  });

  describe('a city that answers falsely', () => {
    it('is not compared when its hashes are malformed, and nothing is repaired', async () => {
      for (const buckets of [
        [{ bucket: '00', count: 2, hash: 'not-a-hash' }],
        [{ bucket: 'zz', count: 1, hash: 'a'.repeat(64) }],
        [{ bucket: '00', count: 2, hash: 'a'.repeat(64), personName: 'Anna' }],
        'everything agrees',
      ]) {
        malmoAnswers = () => ({ ok: true, result: { buckets } });
        await expect(checker().compare(MALMO, { repair: true })).rejects.toThrow(
          /1280 answered a malformed digest/,
        );
      }
      expect(await outbox()).toEqual([]);
    });

    it('is not compared when its lines are malformed', async () => {
      malmoAnswers = (message) =>
        message.kind === 'digestBuckets'
          ? { ok: true, result: { buckets: [{ bucket: '00', count: 2, hash: 'b'.repeat(64) }] } }
          : {
              ok: true,
              result: {
                lines: [
                  {
                    assignmentId: sent[0],
                    status: 'ACTIVE',
                    planVersion: -1,
                    costTotal: '1',
                    pending: false,
                  },
                ],
              },
            };
      await expect(checker().compare(MALMO, { repair: true })).rejects.toThrow(/malformed digest/);
      expect(await outbox()).toEqual([]);
    });

    it('cannot make lines about a third city’s assignments, or of buckets not asked about, count', async () => {
      const third = idIn('asg', STOCKHOLM, '1480', 99, '00');
      const otherBucket = idIn('asg', STOCKHOLM, MALMO, 98, '55');
      const line = (assignmentId: string) => ({
        assignmentId,
        status: 'ACTIVE',
        planVersion: 1,
        costTotal: '100.00',
        pending: false,
      });
      malmoAnswers = async (message) => {
        const truth = (await truthfully(message)) as {
          ok: true;
          result: { buckets?: DigestBucket[]; lines?: DigestLine[] };
        };
        if (message.kind === 'digestBuckets') {
          // Every bucket agrees but '00', which it claims differs.
          const buckets = truth.result.buckets!.map((b) =>
            b.bucket === '00' ? { ...b, hash: 'c'.repeat(64) } : b,
          );
          return { ok: true, result: { buckets } };
        }
        return { ok: true, result: { lines: [...truth.result.lines!, line(third), line(otherBucket)] } };
      };
      const comparison = await checker().compare(MALMO, { repair: true });
      // Bucket '00' holds the two shared ones, which agree; the rest is ignored.
      expect(comparison.differences).toEqual([]);
      expect(comparison.agreeing).toBe(7);
      expect(asked.at(-1)).toEqual({ kind: 'digest', buckets: ['00'] });
      expect(await outbox()).toEqual([]);
    });

    it('that claims to hold nothing gets Stockholm’s own state of what it sent, and no more', async () => {
      malmoAnswers = (message) => ({
        ok: true,
        result: message.kind === 'digestBuckets' ? { buckets: [] } : { lines: [] },
      });
      const comparison = await checker().compare(MALMO, { repair: true });
      expect(comparison.differences).toHaveLength(7);
      // What Stockholm sent is its to repair; what it received from Malmö is not.
      expect((await outbox()).map((m) => m.assignmentId).sort()).toEqual([...sent].sort());
      expect((await outbox()).every((m) => m.kind === 'homeState' && m.recipient === MALMO)).toBe(true);
    });
  });
});

// The outbox's dispatcher on a real database, with the other city played by a
// function: messages about one assignment go in order, one stuck assignment
// does not hold the others up, transient failures are retried with backoff,
// a refusal is final, and delivery resumes from the table after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, peerRefusal } from '../../schema/contract/errors';
import { formatId } from '../../schema/contract/ids';
import { openDatabase, type CityDatabase } from '../../subgraphs/db/database';
import { applyMigrations } from '../../subgraphs/db/migrate';
import { PeerUnavailableError } from '../../subgraphs/peer/client';
import { startDispatcher, type Dispatcher } from '../../subgraphs/peer/dispatcher';
import { writeOutbox } from '../../subgraphs/peer/outbox';
import type { ChangeMessage, PeerEnvelope, PeerReply } from '../../subgraphs/peer/protocol';
import { within } from '../support/eventually';
import { databaseKinds } from '../support/network';
import { createTempDatabase } from '../support/postgres';
import { prepareDataDirectories } from '../../scripts/pgliteTemplate';

const kinds = await databaseKinds();

const request = (assignmentId: string, reason: 'MOVED' | 'RELAPSE'): ChangeMessage => ({
  kind: 'terminationRequested',
  assignmentId,
  reason,
});

describe.each(kinds)('the outbox dispatcher on %s', (kind) => {
  let db: CityDatabase;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    if (kind === 'postgres') {
      const temp = await createTempDatabase();
      db = await openDatabase({ kind: 'postgres', url: temp.url });
      drop = () => temp.drop();
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'avhoppare-outbox-'));
      await prepareDataDirectories([join(dir, 'pgdata')]);
      db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pgdata') });
      drop = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    }
    await applyMigrations(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });
  beforeEach(() => db.exec('DELETE FROM outbox'));

  const tell = (messages: ChangeMessage[], to = '1480') =>
    db.prisma.$transaction((tx) =>
      writeOutbox(
        tx,
        { now: new Date(), principal: null, traceId: '0'.repeat(32) },
        messages.map((message) => ({ to, message })),
      ),
    );

  /** A receiving city: `answer` decides each delivery; every envelope it saw, in order. */
  function receiver(answer: (envelope: PeerEnvelope, attempt: number) => PeerReply | 'down') {
    const seen: PeerEnvelope[] = [];
    const attempts = new Map<string, number>();
    const deliver = (_to: string, envelope: PeerEnvelope): Promise<PeerReply> => {
      const attempt = (attempts.get(envelope.id) ?? 0) + 1;
      attempts.set(envelope.id, attempt);
      seen.push(envelope);
      const reply = answer(envelope, attempt);
      return reply === 'down'
        ? Promise.reject(new PeerUnavailableError('1480', 'no answer'))
        : Promise.resolve(reply);
    };
    return { seen, deliver, attempts };
  }

  const start = (deliver: Parameters<typeof startDispatcher>[0]['deliver']): Dispatcher =>
    startDispatcher({ db, deliver, retryBaseMs: 20, retryMaxMs: 200 });

  const pending = () => db.prisma.outboxMessage.count({ where: { deliveredAt: null } });

  it('delivers each assignment in order, retries a failure with backoff, and does not hold the others up', async () => {
    const stuck = formatId('asg', '0180', '1480');
    const flowing = formatId('asg', '0180', '1480');
    await tell([
      request(stuck, 'MOVED'),
      request(flowing, 'MOVED'),
      request(stuck, 'RELAPSE'),
      request(flowing, 'RELAPSE'),
    ]);
    // The stuck assignment's first message fails three times.
    const city = receiver((envelope, attempt) =>
      (envelope.message as ChangeMessage).assignmentId === stuck &&
      attempt <= 3 &&
      (envelope.message as { reason: string }).reason === 'MOVED'
        ? 'down'
        : { ok: true },
    );
    const dispatcher = start(city.deliver);
    try {
      await within(10_000, async () => expect(await pending()).toBe(0));
    } finally {
      await dispatcher.stop();
    }
    const order = (id: string) =>
      city.seen
        .filter((e) => (e.message as ChangeMessage).assignmentId === id)
        .map((e) => (e.message as { reason: string }).reason);
    expect(order(flowing)).toEqual(['MOVED', 'RELAPSE']);
    // Retried until acknowledged, and the second never overtook the first.
    expect(order(stuck)).toEqual(['MOVED', 'MOVED', 'MOVED', 'MOVED', 'RELAPSE']);
    const flowingDone = city.seen.findIndex(
      (e) =>
        (e.message as ChangeMessage).assignmentId === flowing &&
        (e.message as { reason: string }).reason === 'RELAPSE',
    );
    const stuckDone = city.seen.findIndex(
      (e) =>
        (e.message as ChangeMessage).assignmentId === stuck &&
        (e.message as { reason: string }).reason === 'RELAPSE',
    );
    expect(flowingDone).toBeLessThan(stuckDone);
  });

  it('times a delivery from the commit it was told of, not from the change’s earlier time', async () => {
    // The change's time is its request's start: here a minute before the commit.
    const ids = await db.prisma.$transaction((tx) =>
      writeOutbox(tx, { now: new Date(Date.now() - 60_000), principal: null, traceId: '0'.repeat(32) }, [
        { to: '1480', message: request(formatId('asg', '0180', '1480'), 'MOVED') },
      ]),
    );
    const seconds: number[] = [];
    const city = receiver(() => ({ ok: true }));
    const dispatcher = startDispatcher({
      db,
      deliver: city.deliver,
      observe: (_outcome, _to, s) => void seconds.push(s),
    });
    try {
      // Told at once, as commitAndTell does right after its commit.
      dispatcher.kick(ids);
      await within(10_000, async () => expect(await pending()).toBe(0));
    } finally {
      await dispatcher.stop();
    }
    expect(seconds).toHaveLength(1);
    expect(seconds[0]).toBeLessThan(10);
  });

  it('keeps a refusal as final, with its reply, and goes on with the next message', async () => {
    const id = formatId('asg', '0180', '1480');
    await tell([request(id, 'MOVED'), request(id, 'RELAPSE')]);
    const city = receiver((envelope) =>
      (envelope.message as { reason: string }).reason === 'MOVED'
        ? peerRefusal(ErrorCode.CONFLICT, 'no', ['TERMINATION_ALREADY_REQUESTED'])
        : { ok: true },
    );
    const dispatcher = start(city.deliver);
    try {
      await within(10_000, async () => expect(await pending()).toBe(0));
    } finally {
      await dispatcher.stop();
    }
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { sequence: 'asc' } });
    expect(rows.map((r) => [r.outcome, r.attempts])).toEqual([
      ['refused', 1],
      ['applied', 1],
    ]);
    expect(rows[0]!.reply).toMatchObject({ code: 'CONFLICT', rules: ['TERMINATION_ALREADY_REQUESTED'] });
  });

  it('finds a message due while more older ones than it reads at once wait for a city that does not answer', async () => {
    const waiting = [1, 2, 3].map(() => formatId('asg', '0180', '1480'));
    await tell(waiting.map((id) => request(id, 'MOVED')));
    const other = formatId('asg', '0180', '1280');
    await tell([request(other, 'MOVED')], '1280');
    const seen: string[] = [];
    const dispatcher = startDispatcher({
      db,
      batch: 2,
      retryBaseMs: 5_000,
      deliver: (to) => {
        seen.push(to);
        return to === '1480'
          ? Promise.reject(new PeerUnavailableError(to, 'no answer'))
          : Promise.resolve({ ok: true });
      },
    });
    try {
      await within(10_000, async () =>
        expect(await db.prisma.outboxMessage.count({ where: { deliveredAt: { not: null } } })).toBe(1),
      );
    } finally {
      await dispatcher.stop();
    }
    expect(seen.filter((to) => to === '1280')).toHaveLength(1);
    expect(await db.prisma.outboxMessage.findFirst({ where: { deliveredAt: { not: null } } })).toMatchObject({
      recipient: '1280',
    });
  });

  it('sends to the other cities while every slot could be waiting for one that does not answer', async () => {
    await tell([1, 2, 3].map(() => request(formatId('asg', '0180', '1480'), 'MOVED')));
    await tell([request(formatId('asg', '0180', '1280'), 'MOVED')], '1280');
    // Göteborg holds each delivery until the test lets go.
    const held: (() => void)[] = [];
    const dispatcher = startDispatcher({
      db,
      concurrency: 2,
      deliver: (to) =>
        to === '1480'
          ? new Promise<PeerReply>((_, reject) =>
              held.push(() => reject(new PeerUnavailableError(to, 'timed out'))),
            )
          : Promise.resolve({ ok: true }),
    });
    try {
      await within(10_000, async () =>
        expect(await db.prisma.outboxMessage.count({ where: { deliveredAt: { not: null } } })).toBe(1),
      );
      expect(held.length).toBeLessThan(3);
    } finally {
      for (const letGo of held) letGo();
      await dispatcher.stop();
    }
  });

  it('sends a message the other city kept no more of for now again later, until its rules answer', async () => {
    const id = formatId('asg', '0180', '1480');
    await tell([request(id, 'MOVED')]);
    // Over budget twice, then the receiver has budget again and refuses by its rules.
    const city = receiver((_envelope, attempt) =>
      attempt <= 2
        ? peerRefusal(ErrorCode.MESSAGES_OVER_BUDGET, 'later')
        : peerRefusal(ErrorCode.CONFLICT, 'no', ['TERMINATION_ALREADY_REQUESTED']),
    );
    const dispatcher = start(city.deliver);
    try {
      await within(10_000, async () => expect(await pending()).toBe(0));
    } finally {
      await dispatcher.stop();
    }
    const [row] = await db.prisma.outboxMessage.findMany();
    expect([row!.outcome, row!.attempts]).toEqual(['refused', 3]);
    expect(new Set(city.seen.map((envelope) => envelope.id)).size).toBe(1);
  });

  it('resumes from the table after a restart, sending the same envelope id again', async () => {
    const id = formatId('asg', '0180', '1480');
    await tell([request(id, 'MOVED')]);
    const down = receiver(() => 'down');
    const first = start(down.deliver);
    await within(10_000, () => Promise.resolve(expect(down.seen.length).toBeGreaterThanOrEqual(1)));
    await first.stop();
    expect(await pending()).toBe(1);

    const up = receiver(() => ({ ok: true }));
    const second = start(up.deliver);
    try {
      await within(10_000, async () => expect(await pending()).toBe(0));
    } finally {
      await second.stop();
    }
    // The receiver deduplicates on the envelope id: it must be the one sent before.
    expect(up.seen.map((e) => e.id)).toEqual([down.seen[0]!.id]);
  });
});

// Delivers the outbox. Messages about one assignment go to its other party in
// the order they were written, each retried with backoff until the receiver
// acknowledges it (applied or refused by its rules); messages about other
// assignments do not wait for them. Delivery starts as soon as a change
// commits, and resumes from the table after a restart.
import pLimit from 'p-limit';
import type { Logger } from '../../runtime/logger';
import { ErrorCode } from '../../schema/contract/errors';
import type { Principal } from '../../schema/contract/principal';
import type { CityDatabase } from '../db/database';
import type { OutboxMessage } from '../db/generated/client';
import type { OutboxDispatcher } from './outbox';
import {
  keptChangeReply,
  type ChangeMessage,
  type OutgoingMessage,
  type PeerEnvelope,
  type PeerReply,
} from './protocol';

/** Codes after which sending the same message again cannot help: the receiver's rules said no. */
const FINAL_REFUSALS = new Set<string>([
  ErrorCode.CONFLICT,
  ErrorCode.FORBIDDEN,
  ErrorCode.NOT_FOUND,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.MALFORMED_MESSAGE,
]);

export interface DispatcherOptions {
  db: CityDatabase;
  /** One attempt to hand an envelope to a city; throws when it cannot be reached or does not answer. */
  deliver: (to: string, envelope: PeerEnvelope, originator: Principal | null) => Promise<PeerReply>;
  /**
   * The message as it may leave now: details about the person are withheld
   * when the basis for them lapsed after the change was made (rule 4).
   */
  prepare?: (message: ChangeMessage) => Promise<ChangeMessage>;
  /**
   * Told of every final outcome: seconds from the commit to the acknowledgement
   * (from the change's own time for messages committed before this process started).
   */
  observe?: (outcome: 'applied' | 'refused', recipient: string, seconds: number) => void;
  log?: Logger;
  /**
   * First retry delay; each further one doubles, with jitter.
   * @default 200
   */
  retryBaseMs?: number;
  /**
   * Longest wait between two attempts.
   * @default 10000
   */
  retryMaxMs?: number;
  /**
   * Heads read from the table per pass.
   * @default 500
   */
  batch?: number;
  /**
   * Deliveries in flight at once.
   * @default 16
   */
  concurrency?: number;
}

export interface Dispatcher extends OutboxDispatcher {
  /** Resolves when nothing is left to send right now (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The oldest undelivered message of each assignment and recipient; each without an assignment on its own. */
const HEADS = `SELECT DISTINCT ON ("recipient", coalesce("assignment_id", "id"::text)) "sequence", "recipient", "next_attempt_at"
  FROM "outbox" WHERE "delivered_at" IS NULL
  ORDER BY "recipient", coalesce("assignment_id", "id"::text), "sequence"`;
/** Commit times kept for timing deliveries; past this many waiting, the oldest are timed from their change. */
const TIMED_AT_MOST = 10_000;

export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, log } = options;
  const retryBaseMs = options.retryBaseMs ?? 200;
  const retryMaxMs = options.retryMaxMs ?? 10_000;
  const concurrency = options.concurrency ?? 16;
  const slots = pLimit(concurrency);
  const batch = options.batch ?? 500;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // The row's created_at is the request's time, before its transaction ran: delivery is timed from the commit.
  const committedAt = new Map<string, number>();

  const backoff = (attempts: number) => {
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempts, 20));
    return delay * (0.8 + Math.random() * 0.4);
  };

  /**
   * The oldest undelivered message of each assignment and recipient (each
   * message without an assignment on its own) that is due, taken in turns
   * across the recipients, oldest first within each, and no more for one
   * recipient than there are slots: however many messages wait behind stuck
   * assignments, or for a city that does not answer or answers slowly, the
   * other cities' messages are found, and sent in the same pass.
   */
  async function dueHeads(now: Date): Promise<OutboxMessage[]> {
    const sequences = await db.query<{ sequence: string }>(
      `SELECT "sequence" FROM (
         SELECT "sequence", row_number() OVER (PARTITION BY "recipient" ORDER BY "sequence") AS "turn"
         FROM (${HEADS}) heads WHERE "next_attempt_at" <= $1
       ) due WHERE "turn" <= $3 ORDER BY "turn", "sequence" LIMIT $2`,
      [now, batch, concurrency],
    );
    if (sequences.length === 0) return [];
    const rows = await db.prisma.outboxMessage.findMany({
      where: { sequence: { in: sequences.map((row) => BigInt(row.sequence)) } },
    });
    const bySequence = new Map(rows.map((row) => [row.sequence.toString(), row]));
    return sequences.flatMap(({ sequence }) => bySequence.get(String(sequence)) ?? []);
  }

  /** When the next head is due, if any waits. */
  async function nextDue(): Promise<number | null> {
    const [row] = await db.query<{ at: Date | null }>(
      `SELECT min("next_attempt_at") AS "at" FROM (${HEADS}) heads`,
    );
    return row?.at ? new Date(row.at).getTime() : null;
  }

  async function send(row: OutboxMessage): Promise<boolean> {
    let message = row.payload as unknown as OutgoingMessage;
    // Only changes about an assignment carry details about a person.
    if (row.disclosesDetails && options.prepare) message = await options.prepare(message as ChangeMessage);
    let reply: PeerReply | null = null;
    let failure = 'no answer';
    try {
      const answer = await options.deliver(
        row.recipient,
        { id: row.id, message },
        (row.originator as unknown as Principal | null) ?? null,
      );
      reply = keptChangeReply(answer);
      if (!reply) failure = 'not a reply';
    } catch (error) {
      failure = error instanceof Error ? error.message : 'no answer';
    }
    const now = new Date();
    if (reply && (reply.ok || FINAL_REFUSALS.has(reply.code))) {
      const outcome = reply.ok ? 'applied' : 'refused';
      await db.prisma.outboxMessage.update({
        where: { sequence: row.sequence },
        // Plain JSON: the column takes no undefined members.
        data: {
          deliveredAt: now,
          outcome,
          reply: JSON.parse(JSON.stringify(reply)) as object,
          attempts: row.attempts + 1,
        },
      });
      const from = committedAt.get(row.id) ?? row.createdAt.getTime();
      committedAt.delete(row.id);
      options.observe?.(outcome, row.recipient, (now.getTime() - from) / 1000);
      if (!reply.ok) {
        // Codes only: a refusal's message can quote what the message said.
        log?.warn(
          {
            to: row.recipient,
            kind: row.kind,
            code: reply.code,
            rules: reply.rules,
            assignment: row.assignmentId,
          },
          'the other city refused a message',
        );
      }
      return true;
    }
    if (reply && !reply.ok) failure = reply.code;
    await db.prisma.outboxMessage.update({
      where: { sequence: row.sequence },
      data: {
        attempts: row.attempts + 1,
        lastError: failure.slice(0, 200),
        nextAttemptAt: new Date(now.getTime() + backoff(row.attempts)),
      },
    });
    return false;
  }

  /** One pass: every due head once; true when a delivery lets another message go at once. */
  async function pass(): Promise<boolean> {
    const due = await dueHeads(new Date());
    // A slot each, not batches; a pass still ends with its slowest delivery, but dueHeads gives
    // no city more of them than there are slots, so one that answers slowly delays a pass by one timeout.
    const delivered = await Promise.all(due.map((row) => slots(() => send(row))));
    const progressed = delivered.some(Boolean);
    if (!progressed) {
      const next = await nextDue();
      if (next !== null) schedule(Math.max(0, next - Date.now()));
    }
    return progressed;
  }

  function schedule(ms: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(kick, ms);
    timer.unref();
  }

  function kick(committed: readonly string[] = []): void {
    if (stopped) return;
    const at = Date.now();
    for (const id of committed) {
      // The oldest give way: a message stuck that long is timed from its change instead.
      if (committedAt.size >= TIMED_AT_MOST) committedAt.delete(committedAt.keys().next().value!);
      committedAt.set(id, at);
    }
    again = true;
    if (running) return;
    running = (async () => {
      while (again && !stopped) {
        again = false;
        // A delivered head lets the next message of its assignment go at once.
        if (await pass()) again = true;
      }
    })()
      .catch((error: unknown) => {
        log?.error({ err: error }, 'outbox delivery failed; retrying');
        schedule(retryBaseMs * 10);
      })
      .finally(() => {
        running = null;
        if (again) kick();
      });
  }

  kick();
  return {
    kick,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

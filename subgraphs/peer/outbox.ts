// The outbox: every change another city must learn is written together with
// its message, in the transaction that makes the change, with an entry in the
// disclosure log for what leaves the city. A change and its message can never
// part ways: both commit or neither does. The dispatcher delivers them.
import { randomUUID } from 'node:crypto';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { Principal } from '../../schema/contract/principal';
import { appendDisclosuresIn } from '../audit/disclosureLog';
import type { CityDatabase } from '../db/database';
import type { Prisma } from '../db/generated/client';
import { faultPoint } from '../faultPoints';
import type { OutgoingMessage } from './protocol';

export interface Outgoing {
  to: MunicipalityCode;
  message: OutgoingMessage;
  /** The message carries details about the person (rule 4): the basis is checked again as it leaves. */
  disclosesDetails?: boolean;
  /** What the disclosure log records as the basis, e.g. IN_FORCE or LAPSED:WITHDRAWN. */
  basis?: string;
}

/** Who caused the change: recorded with the message and in the disclosure log. */
export interface Originator {
  now: Date;
  /** The person acting, or null when the city acts on a message or a check of its own. */
  principal: Principal | null;
  traceId: string;
}

/** Something that delivers the outbox: told when new messages are committed. */
export interface OutboxDispatcher {
  /** `committed`: the ids of messages that just committed, so their delivery is timed from now. */
  kick(committed?: readonly string[]): void;
}

const CITY_SUBJECT = 'city';

/** Writes the messages in the caller's transaction, each with its disclosure-log entry; resolves to their ids. */
export async function writeOutbox(
  tx: Prisma.TransactionClient,
  originator: Originator,
  outgoing: readonly Outgoing[],
): Promise<string[]> {
  if (outgoing.length === 0) return [];
  const { now, principal, traceId } = originator;
  const ids = outgoing.map(() => randomUUID());
  await tx.outboxMessage.createMany({
    data: outgoing.map(({ to, message, disclosesDetails = false }, i) => ({
      id: ids[i]!,
      recipient: to,
      assignmentId: 'assignmentId' in message ? message.assignmentId : null,
      kind: message.kind,
      payload: message,
      originator: principal ? { ...principal } : undefined,
      disclosesDetails,
      createdAt: now,
      nextAttemptAt: now,
    })),
  });
  // A message about the city itself (a checkpoint of its logs) discloses nothing about anyone.
  const disclosures = outgoing.flatMap((o) =>
    'assignmentId' in o.message ? [{ ...o, message: o.message }] : [],
  );
  if (disclosures.length === 0) return ids;
  await appendDisclosuresIn(
    tx,
    disclosures.map(({ to, message, basis }) => {
      const { kind, ...fields } = message;
      return {
        at: now,
        municipality: to,
        unit: principal?.unit ?? null,
        subject: principal?.subject ?? CITY_SUBJECT,
        permissions: principal?.permissions ?? [],
        operation: `message:${kind}`,
        kind: 'message-out',
        assignments: [message.assignmentId],
        fields: Object.keys(fields).sort(),
        basis: JSON.stringify({ [message.assignmentId]: basis ?? 'NO_DETAILS' }),
        traceId,
      };
    }),
  );
  return ids;
}

export interface ChangeScope extends Originator {
  db: CityDatabase;
  dispatcher: OutboxDispatcher;
}

/** What a change hands its messages to. */
export type Tell = (outgoing: Outgoing) => void;

/**
 * Runs `change` in one transaction together with the messages it tells; once
 * committed, the dispatcher is asked to deliver them at once.
 */
export async function commitAndTell<T>(
  scope: ChangeScope,
  change: (tx: Prisma.TransactionClient, tell: Tell) => Promise<T>,
): Promise<T> {
  const told: Outgoing[] = [];
  let written: string[] = [];
  const result = await scope.db.prisma.$transaction(async (tx) => {
    const value = await change(tx, (outgoing) => void told.push(outgoing));
    written = await writeOutbox(tx, scope, told);
    return value;
  });
  for (const { message } of told) faultPoint(`after-commit:${message.kind}`);
  if (told.length > 0) scope.dispatcher.kick(written);
  return result;
}

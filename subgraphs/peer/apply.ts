// Applying a change another city reports. A handler checks the message with
// the same rule functions the sending city used, on this city's own clock,
// and writes in the transaction it is given; a refusal throws before anything
// is kept. Handlers live with the role whose tables they change.
import type { AgreementRecord } from '../../schema/contract/agreements';
import { ErrorCode, peerRefusal, type PeerRefusal } from '../../schema/contract/errors';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { Verdict } from '../agreement/rules';
import type { CityConfig } from '../city';
import type { Prisma } from '../db/generated/client';
import type { Tell } from './outbox';
import type { ChangeKind, ChangeMessage } from './protocol';

export interface ApplyContext {
  city: CityConfig;
  /** The city that sent the message (its signature was verified). */
  sender: MunicipalityCode;
  /** This city's clock: every rule decides on it, never on a time the sender claims. */
  now: Date;
  today: string;
  agreements: readonly AgreementRecord[];
  /** Most proposals from one city this city holds unanswered at once. */
  openProposalsPerCity: number;
  /** Messages this city sends in turn, in the same transaction. */
  tell: Tell;
}

export type ChangeHandler<K extends ChangeKind> = (
  tx: Prisma.TransactionClient,
  ctx: ApplyContext,
  message: Extract<ChangeMessage, { kind: K }>,
) => Promise<void>;

/** The handlers of one role, for the kinds it applies. */
export type ChangeHandlers<K extends ChangeKind> = { [P in K]: ChangeHandler<P> };

/** A message this city will not apply; nothing it carried is kept. */
export class MessageRefused extends Error {
  constructor(readonly refusal: PeerRefusal) {
    super(refusal.message);
  }
}

/** Refuses the message, naming every broken rule, unless the verdict is empty. */
export function refuseUnless(verdict: Verdict, what: string): void {
  if (verdict.length === 0) return;
  throw new MessageRefused(
    peerRefusal(
      ErrorCode.CONFLICT,
      `${what} refused: ${verdict.map((v) => v.message).join(' ')}`,
      verdict.map((v) => v.rule),
    ),
  );
}

/**
 * A change that cannot apply yet but may later: nothing is kept, not even the
 * message's record, and the sender is answered `MESSAGES_OVER_BUDGET`, so its
 * outbox sends the same message again, with the ones after it waiting.
 */
export class MessageDeferred extends Error {}

export function defer(message: string): never {
  throw new MessageDeferred(message);
}

export function refuse(code: ErrorCode, message: string): never {
  throw new MessageRefused(peerRefusal(code, message));
}

/** Applies a message with the role's handler for its kind; a kind the role does not take is FORBIDDEN. */
export function applyWith<K extends ChangeKind>(
  handlers: ChangeHandlers<K>,
  side: string,
): (tx: Prisma.TransactionClient, ctx: ApplyContext, message: ChangeMessage) => Promise<void> {
  return (tx, ctx, message) => {
    const handler = (handlers as Partial<Record<ChangeKind, ChangeHandler<K>>>)[message.kind];
    if (!handler)
      return refuse(ErrorCode.FORBIDDEN, `The ${side} city does not take ${message.kind} messages`);
    // The handler is the one for this kind: the record's type pairs them.
    return handler(tx, ctx, message as Extract<ChangeMessage, { kind: K }>);
  };
}

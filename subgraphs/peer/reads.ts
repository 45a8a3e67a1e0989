// Questions another city may ask: answered from this city's own records,
// changing nothing. Each answer is the owning role's to give.
import pLimit, { type LimitFunction } from 'p-limit';
import type { CityConfig } from '../city';
import type { CityDatabase } from '../db/database';
import { ErrorCode, peerRefusal } from '../../schema/contract/errors';
import { costsBorneAnswer, settledHere } from '../roles/execution/reconciliation';
import { heldCheckpoints } from '../audit/checkpoints';
import { digestBucketsWith, digestWith } from './consistency';
import type {
  CheckpointsHeldResult,
  DigestBucketsResult,
  DigestResult,
  OffersResult,
  PeerReply,
  ReadMessage,
} from './protocol';

export interface ReadContext {
  city: CityConfig;
  db: CityDatabase;
  sender: string;
  now: Date;
}

/**
 * Questions that read many rows (digests: every assignment of a pair in the
 * buckets asked about; costs borne: every cost over any range of dates;
 * checkpoints held: up to a thousand) are answered one at a time per asking
 * city, digests in one turn and the others in another, so a person's
 * question never waits behind the consistency check. A city that asks many
 * at once waits its turn, so it cannot take more than two of this city's
 * database connections with them. Keyed by the authenticated sender, so two
 * turns for each city of the network.
 */
const turns = new Map<string, LimitFunction>();
function inTurn<T>(sender: string, kind: 'digest' | 'other', answer: () => Promise<T>): Promise<T> {
  const key = `${sender}:${kind}`;
  let turn = turns.get(key);
  if (!turn) turns.set(key, (turn = pLimit(1)));
  return turn(answer);
}

export async function answerRead(ctx: ReadContext, message: ReadMessage): Promise<PeerReply> {
  switch (message.kind) {
    case 'checkpointsHeld': {
      // A city asks what others hold of its own logs: about anyone else, they keep their counsel.
      const result: CheckpointsHeldResult = {
        checkpoints: await inTurn(ctx.sender, 'other', () =>
          heldCheckpoints(ctx.db.prisma, ctx.sender, message.log, message.after),
        ),
      };
      return { ok: true, result };
    }
    case 'offers': {
      const result: OffersResult = { categories: ctx.city.offers.map((o) => o.category) };
      return { ok: true, result };
    }
    case 'costsBorne': {
      // Only the counterparty itself may ask what this city bore for its assignments.
      if (message.counterparty !== ctx.sender)
        return peerRefusal(ErrorCode.FORBIDDEN, 'A city may only ask about its own assignments');
      const result = await inTurn(ctx.sender, 'other', () =>
        costsBorneAnswer(ctx.db.prisma, message.counterparty, message.agreementId, message),
      );
      return { ok: true, result };
    }
    case 'digestBuckets': {
      const result: DigestBucketsResult = {
        buckets: await inTurn(ctx.sender, 'digest', () =>
          digestBucketsWith(ctx.db.prisma, ctx.sender, message.buckets),
        ),
      };
      return { ok: true, result };
    }
    case 'digest': {
      const result: DigestResult = {
        lines: await inTurn(ctx.sender, 'digest', () =>
          digestWith(ctx.db.prisma, ctx.sender, message.buckets),
        ),
      };
      return { ok: true, result };
    }
    case 'reconciliationSettled': {
      const result = { settled: await settledHere(ctx.db.prisma, ctx.city.code, ctx.sender, message) };
      return { ok: true, result };
    }
    default: {
      const unknown: never = message;
      return peerRefusal(ErrorCode.MALFORMED_MESSAGE, `Unknown question ${JSON.stringify(unknown)}`);
    }
  }
}

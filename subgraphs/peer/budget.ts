// How much another city may ask of this one, and make it keep. A question
// costs this city database time (a digest reads every shared assignment in
// the buckets asked about) and an entry in its disclosure log; a refused
// change is kept with its log entry and its reply, and a checkpoint is kept
// for good. A city that asks or sends without end could wear this one down
// or fill its disk, so each sending city has token buckets of its own, keyed
// by the authenticated sender (as many as the network has cities):
// - digest buckets, which the background consistency check spends;
// - every other question, which people's actions ask (offers, costs), so the
//   check never starves a person's question;
// - refused changes kept: a refusal past the budget is answered "later"
//   with nothing written, and the sender's outbox sends it again, while its
//   changes that apply still do;
// - checkpoints kept, beyond which a new one is answered "later" the same way;
// - changes, refused or applied: each is tried in a transaction and kept
//   with its log entry, and some change nothing (the same answer again), so
//   a generous bound on all of them keeps a city that sends without end from
//   taking this one's database time or filling its disk, while an honest
//   backlog only drains more slowly.
// Past a budget, nothing is read and nothing is written.
import { TokenBucket } from 'limiter';
import { DIGEST_BUCKETS, type ReadMessage } from './protocol';

/** Points a minute for each sending city, up to a minute's worth saved. */
export interface PeerLimits {
  /** Digest buckets asked about (bucket hashes or lines; all 256 when a question names none). */
  digestBuckets: number;
  /** Any other question, 1 each. */
  questions: number;
  /** Refused changes kept (each a disclosure-log entry and the reply), 1 each. */
  refusals: number;
  /** New checkpoints of the sender's logs kept, 1 each. */
  checkpoints: number;
  /** Changes taken in, applied or refused, 1 each. */
  changes: number;
}

/** The budgets of what this city keeps for another city's messages. */
export type KeptKind = 'refusals' | 'checkpoints' | 'changes';

export interface PeerBudget {
  /** Takes the question's cost from the sender's budget; false when too little is left. */
  takeQuestion(sender: string, message: ReadMessage): boolean;
  /** Takes one record of `kind` from the sender's budget; false when none is left. */
  takeKept(sender: string, kind: KeptKind): boolean;
  /** Whether a refusal to `sender` is its first in a minute: reported once, not once a message. */
  firstRefusal(sender: string, now?: number): boolean;
}

const isDigest = (message: ReadMessage) => message.kind === 'digest' || message.kind === 'digestBuckets';

/**
 * The least a digest question costs, whatever buckets it names: each answer
 * is a disclosure-log entry, so many small questions cannot write many more
 * entries than a few full ones. An honest check asks one or two a city.
 */
export const LEAST_DIGEST_COST = 64;

/** What a question costs of its budget: a digest question its buckets (all 256 when it names none, at least 64), any other 1. */
export function costOf(message: ReadMessage): number {
  if (!isDigest(message)) return 1;
  return Math.max(LEAST_DIGEST_COST, message.buckets?.length ?? DIGEST_BUCKETS.length);
}

export function peerBudget(limits: PeerLimits): PeerBudget {
  const buckets = new Map<string, TokenBucket>();
  const reported = new Map<string, number>();
  const bucketOf = (sender: string, kind: keyof PeerLimits) => {
    const key = `${sender}:${kind}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      const perMinute = limits[kind];
      bucket = new TokenBucket({ bucketSize: perMinute, tokensPerInterval: perMinute, interval: 'minute' });
      // A city that has not sent yet has its whole minute.
      bucket.content = perMinute;
      buckets.set(key, bucket);
    }
    return bucket;
  };
  const take = (sender: string, kind: keyof PeerLimits, cost: number) =>
    bucketOf(sender, kind).tryRemoveTokens(cost);
  return {
    takeQuestion: (sender, message) =>
      take(sender, isDigest(message) ? 'digestBuckets' : 'questions', costOf(message)),
    takeKept: (sender, kind) => take(sender, kind, 1),
    firstRefusal(sender, now = Date.now()) {
      const last = reported.get(sender);
      if (last !== undefined && now - last < 60_000) return false;
      reported.set(sender, now);
      return true;
    },
  };
}

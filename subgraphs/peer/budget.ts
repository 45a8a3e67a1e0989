// How much another city may ask this one. A question costs this city database
// time (a digest reads every shared assignment in the buckets asked about)
// and an entry in its disclosure log, so a city that asks without end could
// wear this one down. Each asking city has token buckets of its own, keyed by
// the authenticated sender (as many as the network has cities): one for
// digest buckets, which the background consistency check spends, and one for
// every other question, which people's actions ask (offers, costs), so the
// one never starves the other. A question over budget is refused at once,
// with nothing read and nothing logged.
import { TokenBucket } from 'limiter';
import { DIGEST_BUCKETS, type ReadMessage } from './protocol';

/** Points a minute for each asking city, up to a minute's worth saved. */
export interface QuestionLimits {
  /** Digest buckets asked about (bucket hashes or lines; all 256 when a question names none). */
  digestBuckets: number;
  /** Any other question, 1 each. */
  questions: number;
}

export interface QuestionBudget {
  /** Takes the question's cost from the sender's budget; false when too little is left. */
  take(sender: string, message: ReadMessage): boolean;
  /** Whether a refusal to `sender` is its first in a minute: reported once, not once a question. */
  firstRefusal(sender: string, now?: number): boolean;
}

const isDigest = (message: ReadMessage) => message.kind === 'digest' || message.kind === 'digestBuckets';

/** What a question costs of its budget: a digest question its buckets (all 256 when it names none), any other 1. */
export function costOf(message: ReadMessage): number {
  return isDigest(message) ? (message.buckets?.length ?? DIGEST_BUCKETS.length) : 1;
}

export function questionBudget(limits: QuestionLimits): QuestionBudget {
  const buckets = new Map<string, TokenBucket>();
  const reported = new Map<string, number>();
  const bucketOf = (key: string, perMinute: number) => {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket({ bucketSize: perMinute, tokensPerInterval: perMinute, interval: 'minute' });
      // A city that has not asked yet has its whole minute.
      bucket.content = perMinute;
      buckets.set(key, bucket);
    }
    return bucket;
  };
  return {
    take(sender, message) {
      const bucket = isDigest(message)
        ? bucketOf(`${sender}:digest`, limits.digestBuckets)
        : bucketOf(`${sender}:questions`, limits.questions);
      return bucket.tryRemoveTokens(costOf(message));
    },
    firstRefusal(sender, now = Date.now()) {
      const last = reported.get(sender);
      if (last !== undefined && now - last < 60_000) return false;
      reported.set(sender, now);
      return true;
    },
  };
}

// How much another city may ask this one. A question costs this city database
// time (a digest reads every shared assignment in the buckets asked about)
// and an entry in its disclosure log, so a city that asks without end could
// wear this one down. Each asking city has a token bucket of its own, keyed by
// the authenticated sender (as many as the network has cities); a question
// over budget is refused at once, with nothing read and nothing logged.
import { TokenBucket } from 'limiter';
import { DIGEST_BUCKETS, type ReadMessage } from './protocol';

export interface QuestionBudget {
  /** Takes the question's cost from the sender's budget; false when too little is left. */
  take(sender: string, message: ReadMessage): boolean;
}

/** What a question costs: a digest question its buckets (all 256 when none are named), any other 1. */
export function costOf(message: ReadMessage): number {
  return message.kind === 'digest' || message.kind === 'digestBuckets'
    ? (message.buckets?.length ?? DIGEST_BUCKETS.length)
    : 1;
}

/** `perMinute` points a minute for each asking city, up to a minute's worth saved. */
export function questionBudget(perMinute: number): QuestionBudget {
  const buckets = new Map<string, TokenBucket>();
  return {
    take(sender, message) {
      let bucket = buckets.get(sender);
      if (!bucket) {
        bucket = new TokenBucket({ bucketSize: perMinute, tokensPerInterval: perMinute, interval: 'minute' });
        // A city that has not asked yet has its whole minute.
        bucket.content = perMinute;
        buckets.set(sender, bucket);
      }
      return bucket.tryRemoveTokens(costOf(message));
    },
  };
}

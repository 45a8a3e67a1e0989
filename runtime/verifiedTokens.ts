// Remembering tokens already verified. Verifying an ES256 signature is the
// largest cost of a request at the gateway (the person's token) and at a city
// (the gateway's principal); the same token arrives again and again until it
// expires, and its verdict cannot change before then except by key removal.
// A verdict is reused at most 30 s, and keys are fetched again once they are
// 30 s old (remoteJwks.ts), so a removed key stops working within a minute.
import { LRUCache } from 'lru-cache';

import type { Verified } from '../schema/contract/principal';

export interface VerifiedTokenCacheOptions {
  /** Tokens remembered at most. @default 10000 */
  max?: number;
  /** Longest a verdict is reused, whatever the token's expiry. @default 30000 */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * Wraps `verify` so a token verified before is answered from memory until it
 * expires (capped by `maxAgeMs`). Refusals are never remembered.
 */
export function rememberVerified<T extends object>(
  verify: (token: string) => Promise<Verified<T>>,
  { max = 10_000, maxAgeMs = 30_000, now = Date.now }: VerifiedTokenCacheOptions = {},
): (token: string) => Promise<T> {
  const verdicts = new LRUCache<string, Verified<T>>({ max });
  return async (token) => {
    const remembered = verdicts.get(token);
    if (remembered && remembered.expiresAt > now()) return remembered.value;
    const verified = await verify(token);
    const keep = Math.min(verified.expiresAt - now(), maxAgeMs);
    if (keep > 0) verdicts.set(token, { value: verified.value, expiresAt: now() + keep });
    return verified.value;
  };
}

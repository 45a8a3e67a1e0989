// Single use: a token id (jti) is accepted once while the token is valid.
// Ids are forgotten once their token has expired, so memory stays bounded by
// the traffic of one token lifetime.
export interface ReplayGuard {
  /** True the first time `id` is seen before `expiresAt` (ms); false for every repeat. */
  firstUse(id: string, expiresAt: number): boolean;
}

export function replayGuard({ now = Date.now }: { now?: () => number } = {}): ReplayGuard {
  const seen = new Map<string, number>();
  let nextSweep = 0;
  return {
    firstUse(id, expiresAt) {
      const at = now();
      if (at >= nextSweep) {
        for (const [key, until] of seen) if (until < at) seen.delete(key);
        nextSweep = at + 5000;
      }
      const until = seen.get(id);
      if (until !== undefined && until >= at) return false;
      seen.set(id, expiresAt);
      return true;
    },
  };
}

// Each city gets the caller's principal signed by the gateway and addressed
// to that city alone. A signed principal lives a minute; the gateway reuses it
// for the same person and city while more than half of that is left, rather
// than signing (ES256) again for every request.
import { LRUCache } from 'lru-cache';
import { PRINCIPAL_HEADER, type Principal, type PrincipalSigner } from '../../schema/contract/principal';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { traceparentFor } from '../../schema/contract/trace';
import type { GatewayContext } from '../context';

export type PrincipalHeaders = (
  context: GatewayContext,
  city: MunicipalityCode,
) => Promise<Record<string, string>>;

/** How long a signed principal is handed out again (its lifetime is 60 s). */
const REUSE_MS = 30_000;

export function principalHeaders(
  sign: PrincipalSigner,
  { now = Date.now }: { now?: () => number } = {},
): PrincipalHeaders {
  const signed = new LRUCache<string, { token: Promise<string>; until: number }>({ max: 10_000 });
  const signedFor = (principal: Principal, city: MunicipalityCode): Promise<string> => {
    const key = JSON.stringify([
      city,
      principal.municipality,
      principal.unit,
      principal.subject,
      principal.roles,
    ]);
    const reused = signed.get(key);
    if (reused && reused.until > now()) return reused.token;
    const token = sign(principal, city);
    signed.set(key, { token, until: now() + REUSE_MS });
    // A failed signature is not handed out again.
    token.catch(() => signed.delete(key));
    return token;
  };
  return async (context, city) => {
    let token = context.signedPrincipals.get(city);
    if (!token) {
      token = signedFor(context.principal, city);
      context.signedPrincipals.set(city, token);
    }
    // One trace per client request; each city call is a span of it.
    return { [PRINCIPAL_HEADER]: await token, traceparent: traceparentFor(context.traceId) };
  };
}

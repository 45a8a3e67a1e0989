// Each city call gets the caller's principal signed by the gateway for that
// call alone: a new id, addressed to that city, bound to the SHA-256 of the
// body it travels with, valid 30 s. A city accepts it once, so a captured
// principal is worth nothing with another body, at another city or again.
// Signing per call costs one ES256 signature (well under a millisecond).
import { randomUUID } from 'node:crypto';
import {
  BODY_HASH_CLAIM,
  bodyHash,
  PRINCIPAL_HEADER,
  principalSigner,
  type PrincipalSigner,
} from '../../schema/contract/principal';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { gatewayKeyFiles, signingKey } from '../../runtime/keys';
import { traceparentFor } from '../../runtime/trace';
import type { GatewayContext } from '../context';

export type PrincipalHeaders = (
  context: GatewayContext,
  city: MunicipalityCode,
  /** The request body exactly as it is sent. */
  body: string,
) => Promise<Record<string, string>>;

export function principalHeaders(sign: PrincipalSigner): PrincipalHeaders {
  return async (context, city, body) => {
    const token = await sign(context.principal, city, {
      jti: randomUUID(),
      claims: { [BODY_HASH_CLAIM]: bodyHash(body) },
    });
    // One trace per client request; each city call is a span of it.
    return { [PRINCIPAL_HEADER]: token, traceparent: traceparentFor(context.traceId) };
  };
}

/** Principal headers signed with the gateway's key in `keysDir` (made there on first start, outside production). */
export async function gatewayPrincipalHeaders(
  keysDir: string,
  production: boolean,
): Promise<PrincipalHeaders> {
  return principalHeaders(await principalSigner(await signingKey(gatewayKeyFiles(keysDir), production)));
}

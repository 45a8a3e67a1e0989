// Each city gets the caller's principal signed by the gateway and addressed
// to that city alone; signed at most once per city per request.
import { PRINCIPAL_HEADER, type PrincipalSigner } from '../../schema/contract/principal';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { traceparentFor } from '../../schema/contract/trace';
import type { GatewayContext } from '../context';

export type PrincipalHeaders = (
  context: GatewayContext,
  city: MunicipalityCode,
) => Promise<Record<string, string>>;

export function principalHeaders(sign: PrincipalSigner): PrincipalHeaders {
  return async (context, city) => {
    let token = context.signedPrincipals.get(city);
    if (!token) {
      token = sign(context.principal, city);
      context.signedPrincipals.set(city, token);
    }
    // One trace per client request; each city call is a span of it.
    return { [PRINCIPAL_HEADER]: await token, traceparent: traceparentFor(context.traceId) };
  };
}

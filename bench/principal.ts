// The principal header a city's federated endpoints require, made exactly as
// our gateway makes it: verify the caller's bearer token, then sign the
// principal with the gateway key, addressed to one city.
import { authenticator } from '../gateway/auth/authenticate';
import { gatewayKeyFiles } from '../schema/contract/identity';
import { ensureKeyPair } from '../schema/contract/keys';
import type { MunicipalityCode } from '../schema/contract/municipality';
import { readNetwork } from '../schema/contract/network';
import { principalSigner, type Principal } from '../schema/contract/principal';

/** From a client's authorization header to the signed principal for `city`. */
export async function principalForwarder(
  keysDir: string,
  networkFile: string,
  city: MunicipalityCode,
): Promise<(authorization: string | null | undefined) => Promise<string>> {
  const authenticate = authenticator(readNetwork(networkFile), keysDir);
  const sign = await principalSigner(await ensureKeyPair(gatewayKeyFiles(keysDir)));
  return async (authorization) => sign(await authenticate(authorization ?? undefined), city);
}

/** A principal signed once, for direct calls to a city (valid for about a minute). */
export async function signedPrincipal(
  keysDir: string,
  principal: Principal,
  city: MunicipalityCode,
): Promise<string> {
  const sign = await principalSigner(await ensureKeyPair(gatewayKeyFiles(keysDir)));
  return sign(principal, city);
}

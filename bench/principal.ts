// The principal header a city's federated endpoints require, made exactly as
// our gateway makes it: verify the caller's bearer token, then sign the
// principal with the gateway key, addressed to one city.
import { randomUUID } from 'node:crypto';
import { authenticator } from '../gateway/auth/authenticate';
import { gatewayKeyFiles } from '../runtime/keys';
import { ensureKeyPair } from '../runtime/keys';
import { DEFAULT_TOKEN_POLICY } from '../runtime/personTokens';
import type { MunicipalityCode } from '../schema/contract/municipality';
import { readNetwork } from '../schema/contract/network';
import { BODY_HASH_CLAIM, bodyHash, principalSigner, type Principal } from '../schema/contract/principal';

/** From a client's authorization header and the body sent on to the signed principal for `city`. */
export async function principalForwarder(
  keysDir: string,
  networkFile: string,
  city: MunicipalityCode,
): Promise<(authorization: string | null | undefined, body: string) => Promise<string>> {
  const authenticate = authenticator({
    network: readNetwork(networkFile),
    keysDir,
    production: false,
    policy: DEFAULT_TOKEN_POLICY,
  });
  const sign = await principalSigner(await ensureKeyPair(gatewayKeyFiles(keysDir)));
  return async (authorization, body) =>
    sign(await authenticate(authorization ?? undefined), city, {
      jti: randomUUID(),
      claims: { [BODY_HASH_CLAIM]: bodyHash(body) },
    });
}

/** A principal for one direct call to a city with exactly this body (valid 30 s, once). */
export async function signedPrincipal(
  keysDir: string,
  principal: Principal,
  city: MunicipalityCode,
  body: string,
): Promise<string> {
  const sign = await principalSigner(await ensureKeyPair(gatewayKeyFiles(keysDir)));
  return sign(principal, city, { jti: randomUUID(), claims: { [BODY_HASH_CLAIM]: bodyHash(body) } });
}

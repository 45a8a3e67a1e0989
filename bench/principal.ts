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

/**
 * Principals for `count` direct calls to a city with exactly this body, signed
 * ahead of the run: a city accepts each once (valid 30 s), and signing while
 * the run goes would load the bench's own CPU. Past `count`, the last one is
 * sent again, and the city's refusals show as failures.
 */
export async function principalPool(
  keysDir: string,
  principal: Principal,
  city: MunicipalityCode,
  body: string,
  count: number,
): Promise<() => string> {
  const sign = await principalSigner(await ensureKeyPair(gatewayKeyFiles(keysDir)));
  const claims = { [BODY_HASH_CLAIM]: bodyHash(body) };
  const pool: string[] = [];
  for (let made = 0; made < count; made += 500) {
    const batch = Math.min(500, count - made);
    pool.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () => sign(principal, city, { jti: randomUUID(), claims })),
      )),
    );
  }
  let next = 0;
  return () => {
    if (next === pool.length)
      console.error(`[bench] the ${count} principals signed for a run to ${city} ran out`);
    return pool[Math.min(next++, pool.length - 1)]!;
  };
}

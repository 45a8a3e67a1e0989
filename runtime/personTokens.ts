// People's tokens, as the gateway and a city's internal API check them:
// signed by the municipality's identity provider with one of the accepted
// algorithms, addressed to this network, with `exp` and `iat`, not older than
// the maximum age and not meant to live longer than it either (a token
// minted to last ten years is refused from its first minute).
import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Dispatcher } from 'undici';
import { toPrincipal, type Principal, type Verified } from '../schema/contract/principal';
import type { TokenPolicy } from './environment';
import { watchedJwks } from './keys';
import { remoteJwks } from './remoteJwks';

export const TOKEN_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'];

export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  maxAgeSeconds: 3600,
  clockToleranceSeconds: 30,
  jwksCooldownSeconds: 10,
};

export interface TokenIssuer {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
}

/** The keys of an identity provider: its JWKS URL, or a JWKS file read again when it changes. */
export function issuerKeys(
  source: { jwksUrl?: string; jwksFile?: string },
  policy: TokenPolicy,
  dispatcher?: Dispatcher,
): JWTVerifyGetKey {
  if (source.jwksUrl)
    return remoteJwks(source.jwksUrl, { cooldownMs: policy.jwksCooldownSeconds * 1000, dispatcher });
  if (source.jwksFile) return watchedJwks(source.jwksFile);
  throw new Error('An identity provider needs a JWKS URL or file');
}

/** Verifies a person's token; throws (any error) when it is not valid. */
export async function verifyPersonToken(
  token: string,
  issuer: TokenIssuer,
  policy: TokenPolicy,
): Promise<Verified<Principal>> {
  const { payload } = await jwtVerify(token, issuer.keys, {
    issuer: issuer.issuer,
    audience: issuer.audience,
    algorithms: TOKEN_ALGORITHMS,
    requiredClaims: ['exp', 'iat'],
    maxTokenAge: policy.maxAgeSeconds,
    clockTolerance: policy.clockToleranceSeconds,
  });
  if (payload.exp! - payload.iat! > policy.maxAgeSeconds + policy.clockToleranceSeconds)
    throw new Error('The token is meant to live longer than the maximum token age');
  return { value: toPrincipal(payload), expiresAt: payload.exp! * 1000 };
}

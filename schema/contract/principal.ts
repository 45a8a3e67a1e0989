// The principal the gateway forwards to a city: who asks (municipality, unit,
// subject, roles), signed by the gateway and addressed to exactly one city, so
// a city can trust it and a copy replayed to another city is refused.
import { expiryOf, type Verified } from './verifiedTokens';
import {
  createLocalJWKSet,
  importJWK,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { isMunicipalityCode, type MunicipalityCode } from './municipality';
import { SIGNING_ALG } from './keys';

export const PRINCIPAL_HEADER = 'x-gateway-principal';
export const GATEWAY_ISSUER = 'urn:avhoppare:gateway';
const LIFETIME_SECONDS = 60;

export interface Principal {
  municipality: MunicipalityCode;
  unit: string | null;
  subject: string;
  roles: string[];
}

export const audienceFor = (city: MunicipalityCode) => `urn:avhoppare:municipality:${city}`;

/** Extra claims for one token: its id (jti) and what it vouches for. */
export interface TokenBinding {
  jti?: string;
  claims?: Record<string, string>;
}

export type PrincipalSigner = (
  principal: Principal,
  city: MunicipalityCode,
  binding?: TokenBinding,
) => Promise<string>;

/** Signs principals as `issuer`: the gateway, or a city writing to another city. */
export async function principalSigner(privateJwk: JWK, issuer = GATEWAY_ISSUER): Promise<PrincipalSigner> {
  const key = await importJWK(privateJwk, SIGNING_ALG);
  return (principal, city, binding) => {
    const jwt = new SignJWT({
      ...binding?.claims,
      municipality: principal.municipality,
      unit: principal.unit,
      roles: principal.roles,
    })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: privateJwk.kid })
      .setIssuer(issuer)
      .setAudience(audienceFor(city))
      .setSubject(principal.subject)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_SECONDS}s`);
    if (binding?.jti) jwt.setJti(binding.jti);
    return jwt.sign(key);
  };
}

export type PrincipalVerifier = (token: string) => Promise<Principal>;

/** Verifies a principal from `issuer` addressed to `city`; throws when it is not valid. */
export function principalVerifier(
  jwks: JSONWebKeySet | JWTVerifyGetKey,
  city: MunicipalityCode,
  issuer = GATEWAY_ISSUER,
): PrincipalVerifier {
  const verify = expiringPrincipalVerifier(jwks, city, issuer);
  return async (token) => (await verify(token)).value;
}

/** As principalVerifier, also telling when the token expires (see verifiedTokens.ts). */
export function expiringPrincipalVerifier(
  jwks: JSONWebKeySet | JWTVerifyGetKey,
  city: MunicipalityCode,
  issuer = GATEWAY_ISSUER,
): (token: string) => Promise<Verified<Principal>> {
  const keySet = typeof jwks === 'function' ? jwks : createLocalJWKSet(jwks);
  return async (token) => {
    const { payload } = await jwtVerify(token, keySet, {
      issuer,
      audience: audienceFor(city),
      algorithms: [SIGNING_ALG],
    });
    return { value: toPrincipal(payload), expiresAt: expiryOf(payload) };
  };
}

/** Reads principal claims from a verified token payload; throws when malformed. */
export function toPrincipal(payload: Record<string, unknown>): Principal {
  const { municipality, unit, roles, sub } = payload;
  if (!isMunicipalityCode(municipality)) throw new Error('token has no valid municipality claim');
  if (typeof sub !== 'string' || sub.length === 0) throw new Error('token has no subject');
  return {
    municipality,
    unit: typeof unit === 'string' ? unit : null,
    subject: sub,
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
  };
}

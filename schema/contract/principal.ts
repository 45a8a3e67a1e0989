// The principal the gateway forwards to a city: who asks (municipality, unit,
// subject, permissions), signed by the gateway for exactly one request: its
// own id, addressed to one city, bound to the hash of the body it travels
// with and valid 30 s, so a city can trust it and a copy replayed with
// another body, to another city or a second time is refused.
import { createHash } from 'node:crypto';
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
import { SIGNING_ALG } from './identity';

export const PRINCIPAL_HEADER = 'x-gateway-principal';
export const GATEWAY_ISSUER = 'urn:avhoppare:gateway';
/** Lifetime of a signed principal or message assertion: under a minute, as the trust model requires. */
export const PRINCIPAL_LIFETIME_SECONDS = 30;

export interface Principal {
  municipality: MunicipalityCode;
  unit: string | null;
  subject: string;
  /** What the person may do; carried in tokens as the `roles` claim, the name identity providers use. */
  permissions: string[];
}

export const audienceFor = (city: MunicipalityCode) => `urn:avhoppare:municipality:${city}`;

/** The claim carrying the SHA-256 (base64url) of the request body a principal was signed for. */
export const BODY_HASH_CLAIM = 'bh';

/** SHA-256 of a request body as sent, base64url: what a principal is bound to. */
export const bodyHash = (body: string | Uint8Array) => createHash('sha256').update(body).digest('base64url');

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
    // One clock reading for both claims: two readings may straddle a second,
    // and a verifier that bounds exp - iat would then refuse the token.
    const issuedAt = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({
      ...binding?.claims,
      municipality: principal.municipality,
      unit: principal.unit,
      roles: principal.permissions,
    })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: privateJwk.kid })
      .setIssuer(issuer)
      .setAudience(audienceFor(city))
      .setSubject(principal.subject)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + PRINCIPAL_LIFETIME_SECONDS);
    if (binding?.jti) jwt.setJti(binding.jti);
    return jwt.sign(key);
  };
}

export type PrincipalVerifier = (token: string) => Promise<Principal>;

/** A verified token's content and when it expires, so a verdict can be reused until then. */
export interface Verified<T> {
  value: T;
  /** When the token expires, in ms since the epoch. */
  expiresAt: number;
}

/** A JWT payload's expiry in ms; tokens without one are not remembered. */
export const expiryOf = (payload: { exp?: number }): number => (payload.exp ?? 0) * 1000;

/** Verifies a principal from `issuer` addressed to `city`; throws when it is not valid. */
export function principalVerifier(
  jwks: JSONWebKeySet | JWTVerifyGetKey,
  city: MunicipalityCode,
  issuer = GATEWAY_ISSUER,
): PrincipalVerifier {
  const verify = expiringPrincipalVerifier(jwks, city, issuer);
  return async (token) => (await verify(token)).value;
}

/** A verified principal with the claims that bind it to one request. */
export interface VerifiedPrincipal extends Verified<Principal> {
  /** Every claim of the token (jti, the body hash, ...). */
  claims: Record<string, unknown>;
}

/** As principalVerifier, also telling when the token expires and what else it claims. */
export function expiringPrincipalVerifier(
  jwks: JSONWebKeySet | JWTVerifyGetKey,
  city: MunicipalityCode,
  issuer = GATEWAY_ISSUER,
): (token: string) => Promise<VerifiedPrincipal> {
  const keySet = typeof jwks === 'function' ? jwks : createLocalJWKSet(jwks);
  return async (token) => {
    const { payload } = await jwtVerify(token, keySet, {
      issuer,
      audience: audienceFor(city),
      algorithms: [SIGNING_ALG],
      requiredClaims: ['exp', 'iat'],
      // Nothing this network signs for itself lives longer; clocks may differ by a few seconds.
      maxTokenAge: PRINCIPAL_LIFETIME_SECONDS + 5,
      clockTolerance: 5,
    });
    if (payload.exp! - payload.iat! > PRINCIPAL_LIFETIME_SECONDS)
      throw new Error('The token is meant to live longer than a principal may');
    return { value: toPrincipal(payload), expiresAt: expiryOf(payload), claims: payload };
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
    permissions: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
  };
}

// The principal the gateway forwards to a city: who asks (municipality, unit,
// subject, permissions), signed by the gateway for exactly one request: its
// own id, addressed to one city, bound to the hash of the body it travels
// with and valid 30 s, so a city can trust it and a copy replayed with
// another body, to another city or a second time is refused.
import { createHash, createPrivateKey, sign as signWithKey } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { isMunicipalityCode, type MunicipalityCode } from './municipality';
import { PERMISSIONS } from './permissions';
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

const base64url = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');

/**
 * Signs principals as `issuer`: the gateway, or a city writing to another city.
 * A compact JWS (RFC 7515) signed in place with node:crypto rather than with
 * jose's SignJWT: jose signs through WebCrypto, whose ES256 signature goes to
 * the thread pool (about 130 µs a call on the bench machine, against 30 µs
 * here), and the gateway signs one principal for every city call. Cities
 * verify it with jose like any JWT (test/unit/bound-principals.test.ts).
 */
export function principalSigner(privateJwk: JWK, issuer = GATEWAY_ISSUER): Promise<PrincipalSigner> {
  if (privateJwk.kty !== 'EC' || privateJwk.crv !== 'P-256' || !privateJwk.d)
    throw new Error(`A principal signing key is a private EC P-256 key (${SIGNING_ALG})`);
  const key = createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y, d: privateJwk.d },
    format: 'jwk',
  });
  const header = base64url({ alg: SIGNING_ALG, ...(privateJwk.kid ? { kid: privateJwk.kid } : {}) });
  return Promise.resolve((principal, city, binding) => {
    // One clock reading for both claims: two readings may straddle a second,
    // and a verifier that bounds exp - iat would then refuse the token.
    const issuedAt = Math.floor(Date.now() / 1000);
    const payload = base64url({
      ...binding?.claims,
      municipality: principal.municipality,
      unit: principal.unit,
      roles: principal.permissions,
      iss: issuer,
      aud: audienceFor(city),
      sub: principal.subject,
      iat: issuedAt,
      exp: issuedAt + PRINCIPAL_LIFETIME_SECONDS,
      ...(binding?.jti ? { jti: binding.jti } : {}),
    });
    const signingInput = `${header}.${payload}`;
    // ES256 signatures in JWS are r || s (IEEE P1363), not DER.
    const signature = signWithKey('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
    return Promise.resolve(`${signingInput}.${signature.toString('base64url')}`);
  });
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

/**
 * The longest subject and unit a principal may carry. Each is copied into
 * every log entry it causes, so a city's signature, which any city of the
 * network can make for itself, must not carry what it likes. OpenID Connect
 * bounds a subject at 255 characters; units are short names. Of the roles,
 * only the permissions the matrix knows are kept: no other grants anything.
 */
const MAX_SUBJECT = 255;
const MAX_UNIT = 100;

/** Reads principal claims from a verified token payload; throws when malformed. */
export function toPrincipal(payload: Record<string, unknown>): Principal {
  const { municipality, unit, roles, sub } = payload;
  if (!isMunicipalityCode(municipality)) throw new Error('token has no valid municipality claim');
  if (typeof sub !== 'string' || sub.length === 0) throw new Error('token has no subject');
  if (sub.length > MAX_SUBJECT || (typeof unit === 'string' && unit.length > MAX_UNIT)) {
    throw new Error('token has claims longer than a principal may carry');
  }
  const permissions: string[] = Array.isArray(roles)
    ? PERMISSIONS.filter((permission) => roles.includes(permission))
    : [];
  return { municipality, unit: typeof unit === 'string' ? unit : null, subject: sub, permissions };
}

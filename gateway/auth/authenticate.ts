// Verifies people's bearer tokens against the identity provider of the
// municipality that issued them. An issuer vouches only for its own
// municipality: a token whose municipality claim names another is refused.
import { decodeJwt, errors } from 'jose';
import type { Dispatcher } from 'undici';
import type { TokenPolicy } from '../../runtime/environment';
import { identityProviderOf, type IdentityProvider } from '../../runtime/keys';
import { issuerKeys, verifyPersonToken, type TokenIssuer } from '../../runtime/personTokens';
import { rememberVerified } from '../../runtime/verifiedTokens';
import { unauthenticated } from '../../schema/contract/errors';
import type { NetworkConfig } from '../../schema/contract/network';
import type { Principal } from '../../schema/contract/principal';

export type Authenticate = (authorization: string | undefined) => Promise<Principal>;

export interface AuthenticatorOptions {
  network: NetworkConfig;
  /** Where the local dev issuers' public keys are (never used in production). */
  keysDir: string;
  /** Production trusts only the identity providers the network file names. */
  production: boolean;
  policy: TokenPolicy;
  /** The HTTP agent for JWKS URLs (trusted authorities). */
  dispatcher?: Dispatcher;
}

export function authenticator(options: AuthenticatorOptions): Authenticate {
  const byIssuer = new Map<string, { municipality: string; issuer: () => TokenIssuer }>();
  const trust = (municipality: string, provider: IdentityProvider) => {
    let issuer: TokenIssuer | undefined;
    byIssuer.set(provider.issuer, {
      municipality,
      // Loaded on first use: a dev key may be created after the gateway starts.
      issuer: () =>
        (issuer ??= {
          issuer: provider.issuer,
          audience: provider.audience,
          keys: issuerKeys(provider, options.policy, options.dispatcher),
        }),
    });
  };
  for (const entry of options.network.municipalities) {
    trust(entry.code, identityProviderOf(entry, options.keysDir, options.production));
    // Outside production, scripts' tokens (npm run token) still work beside a configured
    // provider (the demo's OpenID providers); production trusts the configured one only.
    if (!options.production && entry.identityProvider)
      trust(entry.code, identityProviderOf({ ...entry, identityProvider: undefined }, options.keysDir));
  }

  const verify = rememberVerified<Principal>(async (token) => {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw unauthenticated('The bearer token is malformed');
    }
    const provider = issuer ? byIssuer.get(issuer) : undefined;
    if (!provider) throw unauthenticated('The token was not issued by an identity provider of this network');
    let verified;
    try {
      verified = await verifyPersonToken(token, provider.issuer(), options.policy);
    } catch (error) {
      throw unauthenticated(refusalMessage(error, token, options.policy));
    }
    if (verified.value.municipality !== provider.municipality) {
      throw unauthenticated('The token names a municipality its issuer does not vouch for');
    }
    return verified;
  });

  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw unauthenticated('A bearer token is required (authorization: Bearer <token>)');
    return verify(token);
  };
}

/**
 * Why a token was refused, in words a caller can act on. jose checks the
 * signature before the claims, so "expired" is said only of a genuine token.
 */
function refusalMessage(error: unknown, token: string, policy: TokenPolicy): string {
  if (error instanceof errors.JWTExpired) {
    if (error.claim === 'exp') {
      const exp = decodeJwt(token).exp;
      const when = typeof exp === 'number' ? ` at ${new Date(exp * 1000).toISOString()}` : '';
      return `The bearer token expired${when}: get a new one`;
    }
    return `The bearer token is older than the maximum token age (${policy.maxAgeSeconds} s): get a new one`;
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf')
    return 'The bearer token is not valid yet';
  return 'The bearer token is not valid';
}

// Verifies people's bearer tokens against the identity provider of the
// municipality that issued them. An issuer vouches only for its own
// municipality: a token whose municipality claim names another is refused.
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ErrorCode, httpError } from '../../schema/contract/errors';
import { watchedJwks } from '../../schema/contract/keys';
import { toPrincipal, type Principal } from '../../schema/contract/principal';
import { identityProviderOf, type NetworkConfig } from '../../schema/contract/network';
import { expiryOf, rememberVerified } from '../../schema/contract/verifiedTokens';

export type Authenticate = (authorization: string | undefined) => Promise<Principal>;

const ALGORITHMS = ['ES256', 'RS256', 'EdDSA'];

const refuse = (message: string) => httpError(ErrorCode.UNAUTHENTICATED, message, 401);

export function authenticator(network: NetworkConfig, keysDir: string): Authenticate {
  const byIssuer = new Map<string, { municipality: string; audience: string; keys: () => JWTVerifyGetKey }>();
  for (const entry of network.municipalities) {
    const provider = identityProviderOf(entry, keysDir);
    let keys: JWTVerifyGetKey | undefined;
    byIssuer.set(provider.issuer, {
      municipality: entry.code,
      audience: provider.audience,
      // Loaded on first use: a dev key may be created after the gateway starts.
      keys: () =>
        (keys ??= provider.jwksUrl
          ? createRemoteJWKSet(new URL(provider.jwksUrl))
          : watchedJwks(provider.jwksFile!)),
    });
  }

  const verify = rememberVerified<Principal>(async (token) => {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw refuse('The bearer token is malformed');
    }
    const provider = issuer ? byIssuer.get(issuer) : undefined;
    if (!provider) throw refuse('The token was not issued by a party to this network');
    let principal: Principal;
    let expiresAt: number;
    try {
      const { payload } = await jwtVerify(token, provider.keys(), {
        issuer,
        audience: provider.audience,
        algorithms: ALGORITHMS,
      });
      principal = toPrincipal(payload);
      expiresAt = expiryOf(payload);
    } catch {
      throw refuse('The bearer token is not valid');
    }
    if (principal.municipality !== provider.municipality) {
      throw refuse('The token names a municipality its issuer does not vouch for');
    }
    return { value: principal, expiresAt };
  });

  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw refuse('A bearer token is required (authorization: Bearer <token>)');
    return verify(token);
  };
}

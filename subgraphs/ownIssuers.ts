// The identity providers whose people the internal API answers. In
// production exactly one: ISSUER, or the provider the network file names for
// the city. Outside production also the provider the network file names once
// it is written (the demo's OpenID providers, whose people reach their own
// city's log through the gateway's own-city route), besides ISSUER or the
// local dev issuer whose tokens the scripts mint.
import type { Dispatcher } from 'undici';
import type { TokenPolicy } from '../runtime/environment';
import { issuerKeys, type TokenIssuer } from '../runtime/personTokens';
import type { IdentityProvider } from '../runtime/keys';
import { USER_TOKEN_AUDIENCE } from '../schema/contract/identity';
import type { MunicipalityCode } from '../schema/contract/municipality';
import type { NetworkConfig } from '../schema/contract/network';

export interface OwnIssuersOptions {
  city: MunicipalityCode;
  /** The provider configured at start. */
  configured: IdentityProvider;
  production: boolean;
  /** The network as it stands now (its file is reread when it changes). */
  network: () => NetworkConfig;
  policy: TokenPolicy;
  dispatcher?: Dispatcher;
}

export function ownIssuers(options: OwnIssuersOptions): () => readonly TokenIssuer[] {
  // One key source per provider, so its JWKS is fetched and cached once.
  const known = new Map<string, TokenIssuer>();
  const issuerOf = (provider: IdentityProvider): TokenIssuer => {
    const key = JSON.stringify([provider.issuer, provider.audience, provider.jwksUrl, provider.jwksFile]);
    let issuer = known.get(key);
    if (!issuer) {
      issuer = {
        issuer: provider.issuer,
        audience: provider.audience,
        keys: issuerKeys(provider, options.policy, options.dispatcher),
      };
      known.set(key, issuer);
    }
    return issuer;
  };
  const configured = issuerOf(options.configured);
  if (options.production) return () => [configured];
  return () => {
    const named = options.network().municipalities.find((m) => m.code === options.city)?.identityProvider;
    if (!named || named.issuer === configured.issuer) return [configured];
    return [configured, issuerOf({ ...named, audience: named.audience ?? USER_TOKEN_AUDIENCE })];
  };
}

// Who is asking a city endpoint. The federated endpoints answer only the
// gateway, which signs the person's principal for one request to this city:
// the principal must be addressed here, name the SHA-256 of the very body it
// came with, and not have been used before. The internal API answers only
// people of this city, with a token from the city's own identity provider.
import type { Request } from 'express';
import { decodeJwt } from 'jose';
import type { TokenPolicy } from '../runtime/environment';
import { watchedJwks } from '../runtime/keys';
import { verifyPersonToken, type TokenIssuer } from '../runtime/personTokens';
import { replayGuard, type ReplayGuard } from '../runtime/replayGuard';
import { rememberVerified } from '../runtime/verifiedTokens';
import { unauthenticated } from '../schema/contract/errors';
import type { MunicipalityCode } from '../schema/contract/municipality';
import {
  BODY_HASH_CLAIM,
  bodyHash,
  expiringPrincipalVerifier,
  PRINCIPAL_HEADER,
  type Principal,
} from '../schema/contract/principal';

export type Authenticate = (req: Request) => Promise<Principal>;

const bodyHashes = new WeakMap<Request, string>();

/**
 * For express.json's `verify`: remembers the SHA-256 of each request's raw
 * body, which a gateway principal must name.
 */
export function rememberBodyHash(req: Request, _res: unknown, raw: Buffer): void {
  bodyHashes.set(req, bodyHash(raw));
}

export interface GatewayPrincipalOptions {
  /** This city: a principal addressed to another city is refused. */
  city: MunicipalityCode;
  /** The JWKS file of the gateway's principal-signing keys (reread when it changes). */
  gatewayJwksFile: string;
  /** Principal ids already used; one per process by default. */
  replays?: ReplayGuard;
}

/** The principal the gateway signed for this request to this city, from its header. */
export function fromGateway(options: GatewayPrincipalOptions): Authenticate {
  const verify = expiringPrincipalVerifier(watchedJwks(options.gatewayJwksFile), options.city);
  const replays = options.replays ?? replayGuard();
  return async (req) => {
    const token = req.header(PRINCIPAL_HEADER);
    if (!token) throw unauthenticated('Federated endpoints answer only the gateway');
    let verified;
    try {
      verified = await verify(token);
    } catch {
      throw unauthenticated('The gateway signature is not valid for this municipality');
    }
    const { jti } = verified.claims;
    if (req.method !== 'POST' || verified.claims[BODY_HASH_CLAIM] !== bodyHashes.get(req))
      throw unauthenticated('The gateway principal was signed for another request body');
    if (typeof jti !== 'string' || !replays.firstUse(jti, verified.expiresAt))
      throw unauthenticated('The gateway principal was used before');
    return verified.value;
  };
}

export interface OwnIssuerOptions {
  city: MunicipalityCode;
  /**
   * The city's identity providers: issuer name, audience and keys. A token is
   * checked against the one its `iss` names, and refused when none does.
   * Asked on every request, so a provider named later (the network file) counts.
   */
  issuers: () => readonly TokenIssuer[];
  policy: TokenPolicy;
}

/** The issuer a token claims, unverified: only to choose which provider's keys check it. */
function claimedIssuer(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/** A person of this city, from a bearer token of the city's own identity provider. */
export function fromOwnIssuer(options: OwnIssuerOptions): Authenticate {
  const verify = rememberVerified((token) => {
    const iss = claimedIssuer(token);
    const issuer = options.issuers().find((candidate) => candidate.issuer === iss);
    if (!issuer) throw new Error('Not an identity provider of this municipality');
    return verifyPersonToken(token, issuer, options.policy);
  });
  return async (req) => {
    const token = /^Bearer (.+)$/i.exec(req.header('authorization') ?? '')?.[1];
    if (!token) throw unauthenticated('A bearer token from this municipality is required');
    let principal: Principal;
    try {
      principal = await verify(token);
    } catch {
      throw unauthenticated('The token is not valid for this municipality');
    }
    if (principal.municipality !== options.city)
      throw unauthenticated('The internal API answers only its own municipality');
    return principal;
  };
}

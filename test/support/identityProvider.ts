// A stand-in identity provider for tests of production mode: a JWKS server
// on loopback with one signing key per municipality, which mints tokens as a
// municipality's real provider would (issuer, audience, exp, iat), and can
// add and withdraw keys as a provider rotating its keys does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';

export const TEST_AUDIENCE = 'urn:avhoppare:test-api';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface StandInIdentityProvider {
  /** The provider's base URL; each municipality's issuer is `<url>/<code>`, its JWKS `<url>/<code>/jwks`. */
  url: string;
  issuerOf(code: string): string;
  /** The network file's `identityProvider` entry of a municipality. */
  entryOf(code: string): { issuer: string; audience: string; jwksUrl: string };
  /** A token of a person of `code`; `build` may change it (expiry, claims) before it is signed. */
  mint(
    code: string,
    claims?: {
      permissions?: string[];
      unit?: string | null;
      subject?: string;
      /** The municipality the token claims; `code` by default (a provider vouching for another's person). */
      municipality?: string;
      /** jose duration; null leaves `exp` out, as a careless provider might. @default "15m" */
      expiresIn?: string | null;
      /** Sign with this key, withdrawn or not (a leaked key); the newest published one by default. */
      kid?: string;
      /** The key id the header names, whatever key signs. */
      headerKid?: string;
    },
    build?: (jwt: SignJWT) => SignJWT,
  ): Promise<string>;
  /** Publishes a new key for `code` and signs with it from now on; returns its key id. */
  rotate(code: string): Promise<string>;
  /** Withdraws a key from the JWKS (tokens signed with it must stop passing). */
  withdraw(code: string, kid: string): void;
  /** How often each municipality's JWKS was fetched. */
  fetches: Map<string, number>;
  close(): Promise<void>;
}

export async function startIdentityProvider(codes: readonly string[]): Promise<StandInIdentityProvider> {
  const keys = new Map<string, SigningKey[]>();
  // Every key ever made, withdrawn ones included: a leaked key still signs.
  const everKeys = new Map<string, SigningKey>();
  const fetches = new Map<string, number>();
  const newKey = async (): Promise<SigningKey> => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = randomUUID();
    const key = {
      kid,
      privateKey,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    };
    everKeys.set(kid, key);
    return key;
  };
  for (const code of codes) keys.set(code, [await newKey()]);

  const server: Server = createServer((req, res) => {
    const code = /^\/(\d{4})\/jwks$/.exec(req.url ?? '')?.[1];
    const published = code ? keys.get(code) : undefined;
    if (!code || !published) return void res.writeHead(404).end();
    fetches.set(code, (fetches.get(code) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuerOf = (code: string) => `${url}/${code}`;

  return {
    url,
    issuerOf,
    fetches,
    entryOf: (code) => ({ issuer: issuerOf(code), audience: TEST_AUDIENCE, jwksUrl: `${url}/${code}/jwks` }),
    async mint(code, claims = {}, build = (jwt) => jwt) {
      const key = claims.kid ? everKeys.get(claims.kid)! : keys.get(code)!.at(-1)!;
      const jwt = new SignJWT({
        municipality: claims.municipality ?? code,
        unit: claims.unit ?? null,
        roles: claims.permissions ?? ['caseworker'],
      })
        .setProtectedHeader({ alg: 'ES256', kid: claims.headerKid ?? key.kid, typ: 'JWT' })
        .setIssuer(issuerOf(code))
        .setAudience(TEST_AUDIENCE)
        .setSubject(claims.subject ?? `person-${code}`)
        .setIssuedAt();
      if (claims.expiresIn !== null) jwt.setExpirationTime(claims.expiresIn ?? '15m');
      return build(jwt).sign(key.privateKey);
    },
    async rotate(code) {
      const key = await newKey();
      keys.get(code)!.push(key);
      return key.kid;
    },
    withdraw(code, kid) {
      keys.set(
        code,
        keys.get(code)!.filter((k) => k.kid !== kid),
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

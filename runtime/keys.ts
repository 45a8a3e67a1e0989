// Signing keys as JWK files, and where each party's keys are found: the dev
// identity providers' keys, the gateway's principal-signing key and each
// city's message-signing key. Production points at real JWKS instead.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';

import { devIssuer, SIGNING_ALG, USER_TOKEN_AUDIENCE } from '../schema/contract/identity';
import type { MunicipalityCode } from '../schema/contract/municipality';
import type { IdentityProviderConfig, MunicipalityEntry } from '../schema/contract/network';

export const DEFAULT_KEYS_DIR = '.data/keys';

export interface KeyFiles {
  privateJwk: string;
  jwks: string;
}

export function keyFiles(dir: string, name: string): KeyFiles {
  return { privateJwk: `${dir}/${name}.private.jwk.json`, jwks: `${dir}/${name}.jwks.json` };
}

/** Creates the key pair on first use; later calls return the same key. */
export async function ensureKeyPair(files: KeyFiles): Promise<JWK> {
  if (existsSync(files.privateJwk)) return readPrivateJwk(files.privateJwk);
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  mkdirSync(dirname(files.privateJwk), { recursive: true });
  writeFileSync(files.privateJwk, JSON.stringify(privateJwk), { mode: 0o600 });
  writeFileSync(files.jwks, JSON.stringify({ keys: [publicJwk] } satisfies JSONWebKeySet));
  return privateJwk;
}

/**
 * A key this network signs with: created on first use in development, only
 * ever read in production, where a missing key stops the process naming the file.
 */
export async function signingKey(files: KeyFiles, production: boolean): Promise<JWK> {
  if (!production) return ensureKeyPair(files);
  if (!existsSync(files.privateJwk))
    throw new Error(`The private key ${files.privateJwk} is missing; production never creates keys`);
  return readPrivateJwk(files.privateJwk);
}

export function readPrivateJwk(file: string): JWK {
  return JSON.parse(readFileSync(file, 'utf8')) as JWK;
}

export function readJwks(file: string): JSONWebKeySet {
  return JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet;
}

/**
 * A key set read from a JWKS file, read again whenever the file changes: a new
 * key is published beside the old one before anyone signs with it, so keys
 * rotate without restarting the verifiers.
 */
export function watchedJwks(file: string): JWTVerifyGetKey {
  let loaded: { mtimeMs: number; keys: JWTVerifyGetKey } | undefined;
  return (header, token) => {
    const { mtimeMs } = statSync(file);
    if (loaded?.mtimeMs !== mtimeMs) loaded = { mtimeMs, keys: createLocalJWKSet(readJwks(file)) };
    return loaded.keys(header, token);
  };
}

export const devIssuerKeyFiles = (keysDir: string, municipality: MunicipalityCode): KeyFiles =>
  keyFiles(keysDir, `issuer-${municipality}`);

export const gatewayKeyFiles = (keysDir: string): KeyFiles => keyFiles(keysDir, 'gateway');

/** The key a city signs its messages to other cities with. */
export const cityKeyFiles = (keysDir: string, municipality: MunicipalityCode): KeyFiles =>
  keyFiles(keysDir, `city-${municipality}`);

/** Where the keys of a city's messages to other cities are published. */
export function peerKeysOf(
  entry: MunicipalityEntry,
  keysDir: string,
): { jwksFile?: string; jwksUrl?: string } {
  if (entry.peerJwksUrl) return { jwksUrl: entry.peerJwksUrl };
  return { jwksFile: entry.peerJwksFile ?? cityKeyFiles(keysDir, entry.code).jwks };
}

/** An identity provider with its audience settled. */
export type IdentityProvider = IdentityProviderConfig & { audience: string };

/**
 * The identity provider of a municipality; the local dev issuer when none is
 * configured, except in production, which never trusts a dev issuer.
 */
export function identityProviderOf(
  entry: MunicipalityEntry,
  keysDir: string,
  production = false,
): IdentityProvider {
  if (entry.identityProvider)
    return { ...entry.identityProvider, audience: entry.identityProvider.audience ?? USER_TOKEN_AUDIENCE };
  if (production) throw new Error(`Municipality ${entry.code} names no identity provider`);
  return {
    issuer: devIssuer(entry.code),
    audience: USER_TOKEN_AUDIENCE,
    jwksFile: devIssuerKeyFiles(keysDir, entry.code).jwks,
  };
}

// Local signing keys as JWK files: the dev identity providers' keys and the
// gateway's principal-signing key. Production points at real JWKS instead.
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

export const SIGNING_ALG = 'ES256';

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

// An identity provider's keys from its JWKS URL. jose's own remote key set
// keeps keys ten minutes; here they are fetched again once they are 30 s
// old, so a key the provider removed stops working within a minute (with
// verdicts remembered at most 30 s, see verifiedTokens.ts). A token with an
// unknown key id fetches again, but at most once per cooldown, so a stream
// of made-up key ids cannot make the gateway hammer the provider. When the
// keys cannot be fetched and the ones held are too old, tokens are refused:
// nobody can say any more whether their key is still published.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { request, type Dispatcher } from 'undici';

export interface RemoteJwksOptions {
  /** Keys older than this are fetched again before they are used. @default 30000 */
  maxAgeMs?: number;
  /** After a fetch, a token with an unknown key id fetches again no sooner than this. @default 10000 */
  cooldownMs?: number;
  /** Budget for one fetch. @default 5000 */
  timeoutMs?: number;
  /** The HTTP agent (TLS settings: trusted authorities, client certificate). */
  dispatcher?: Dispatcher;
  now?: () => number;
}

export const JWKS_MAX_AGE_MS = 30_000;

export function remoteJwks(url: string, options: RemoteJwksOptions = {}): JWTVerifyGetKey {
  const { maxAgeMs = JWKS_MAX_AGE_MS, cooldownMs = 10_000, timeoutMs = 5000, now = Date.now } = options;
  let held: { keys: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  const fetchKeys = async () => {
    lastAttempt = now();
    const response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new errors.JOSEError(`The JWKS URL answered HTTP ${response.statusCode}`);
    }
    const jwks = (await response.body.json()) as JSONWebKeySet;
    if (!jwks || !Array.isArray(jwks.keys)) throw new errors.JOSEError('The JWKS URL answered no key set');
    held = { keys: createLocalJWKSet(jwks), fetchedAt: now() };
  };
  // Requests arriving during a fetch wait for it rather than starting their own.
  const reload = () => (loading ??= fetchKeys().finally(() => (loading = undefined)));

  return async (header, token) => {
    if (!held || now() - held.fetchedAt >= maxAgeMs) await reload();
    try {
      return await held!.keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() - lastAttempt < cooldownMs) throw error;
      await reload();
      return held!.keys(header, token);
    }
  };
}

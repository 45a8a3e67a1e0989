// A network in production mode, as an operator and an attacker would try it:
// it refuses to start without real identity providers; started against a
// stand-in identity provider (a JWKS server on loopback) it refuses dev
// tokens, tokens without exp or meant to live too long, a principal replayed
// to a city, /metrics without its token, and a client's trace id.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../gateway/auth/devIssuer';
import { gatewayKeyFiles, readPrivateJwk } from '../../runtime/keys';
import {
  BODY_HASH_CLAIM,
  bodyHash,
  PRINCIPAL_HEADER,
  principalSigner,
} from '../../schema/contract/principal';
import { startTestNetwork, type TestNetwork } from '../support/network';

const ROOT = new URL('../..', import.meta.url).pathname;
const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789';

/** Runs one process of the project the way npm does, and gives its exit code and output. */
function run(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('a production start without identity providers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-prod-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused by the gateway, naming what is missing, and no key is created', () => {
    const keysDir = join(dir, 'keys');
    const alone = run('gateway/main.ts', [], { NODE_ENV: 'production', KEYS_DIR: keysDir, PORT: '0' });
    expect(alone.status).toBe(1);
    expect(alone.output).toContain('refuses to start in production');
    expect(alone.output).toContain('NETWORK_FILE is not set');

    const networkFile = join(dir, 'network.json');
    writeFileSync(
      networkFile,
      JSON.stringify({
        municipalities: [
          { code: '0180', name: 'Stockholm', url: 'https://avhoppare.stockholm.example' },
          {
            code: '1480',
            name: 'Göteborg',
            url: 'http://avhoppare.goteborg.example',
            identityProvider: { issuer: 'urn:avhoppare:dev-issuer:1480', jwksFile: join(dir, 'x.json') },
          },
        ],
      }),
    );
    const named = run('gateway/main.ts', [], {
      NODE_ENV: 'production',
      KEYS_DIR: keysDir,
      NETWORK_FILE: networkFile,
      PORT: '0',
    });
    expect(named.status).toBe(1);
    for (const problem of [
      'municipality 0180 (Stockholm) names no identity provider',
      'municipality 1480 (Göteborg): the issuer urn:avhoppare:dev-issuer:1480 is a local dev issuer',
      'municipality 1480 (Göteborg): its identity provider names no audience',
      'municipality 1480 (Göteborg): its identity provider names no jwksUrl',
      'municipality 1480 (Göteborg): the url http://avhoppare.goteborg.example is plain HTTP off this machine',
      'gateway.private.jwk.json is missing',
    ])
      expect(named.output).toContain(problem);
    expect(existsSync(keysDir) ? readdirSync(keysDir) : []).toEqual([]);
  });

  it('is refused by a city, which names its missing keys and refuses demo data', () => {
    const keysDir = join(dir, 'city-keys');
    const city = run('subgraphs/main.ts', [], {
      NODE_ENV: 'production',
      CITY: '0180',
      KEYS_DIR: keysDir,
      DATA_DIR: join(dir, 'pgdata'),
      DEMO_DATA: 'true',
      PORT: '0',
    });
    expect(city.status).toBe(1);
    for (const problem of [
      'NETWORK_FILE is not set',
      'DEMO_DATA=true: production never loads demo data',
      'the internal API’s issuer urn:avhoppare:dev-issuer:0180 is a local dev issuer',
      'city-0180.private.jwk.json is missing',
      'gateway.jwks.json is missing',
    ])
      expect(city.output).toContain(problem);
    expect(existsSync(keysDir) ? readdirSync(keysDir) : []).toEqual([]);
  });

  it('makes npm run token refuse', () => {
    const keysDir = join(dir, 'token-keys');
    const token = run('scripts/token.ts', ['--municipality', '0180'], {
      NODE_ENV: 'production',
      KEYS_DIR: keysDir,
    });
    expect(token.status).toBe(2);
    expect(token.output).toContain('refuses with NODE_ENV=production');
    expect(existsSync(keysDir)).toBe(false);
  });
});

describe('a production network against a stand-in identity provider', () => {
  let network: TestNetwork;
  // A production network starts each city twice (demo data first, in development): give it time.
  beforeAll(async () => {
    network = await startTestNetwork({ production: true, env: { METRICS_TOKEN } });
  }, 400_000);
  afterAll(() => network?.stop());

  const LIST = '{ assignments(first: 5) { edges { node { id } } } }';
  const post = (token: string, body: object, headers: Record<string, string> = {}) =>
    fetch(network.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });

  it('answers a token of the municipality’s identity provider', async () => {
    const reply = await network.query('0180', LIST);
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toHaveProperty('assignments');
  });

  it('refuses a dev issuer’s token with every permission, however long it is valid', async () => {
    const token = await mintDevToken(network.keysDir, {
      municipality: '0180',
      permissions: ['caseworker', 'coordinator', 'finance', 'auditor'],
      expiresIn: '10y',
    });
    const response = await post(token, { query: LIST });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('refuses a token without exp, one meant to live ten years and one older than an hour', async () => {
    const idp = network.identityProvider!;
    const tokens = [
      await idp.mint('0180', { expiresIn: null }),
      await idp.mint('0180', {}, (jwt) => jwt.setExpirationTime('10y')),
      await idp.mint('0180', {}, (jwt) =>
        jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime('5m'),
      ),
    ];
    for (const token of tokens) {
      const response = await post(token, { query: LIST });
      expect(response.status, token).toBe(401);
    }
  });

  it('refuses a principal replayed to a city, with another body or to another city', async () => {
    const sign = await principalSigner(readPrivateJwk(gatewayKeyFiles(network.keysDir).privateJwk));
    const body = JSON.stringify({ query: '{ assignments(first: 1) { edges { cursor } } }' });
    const principal = await sign(
      { municipality: '1280', unit: null, subject: 'captured', permissions: ['caseworker'] },
      '1280',
      { jti: randomUUID(), claims: { [BODY_HASH_CLAIM]: bodyHash(body) } },
    );
    const send = (city: string, payload: string) =>
      fetch(`${network.cities.get(city)!.url}/casework/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principal },
        body: payload,
      });
    const other = JSON.stringify({ query: '{ assignments(first: 50) { edges { cursor } } }' });
    expect((await send('1280', other)).status).toBe(401);
    expect((await send('0180', body)).status).toBe(401);
    expect((await send('1280', body)).status).toBe(200);
    const replayed = await send('1280', body);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({
      errors: [{ message: 'The gateway principal was used before', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('keeps /metrics behind its token, bounded whatever operation names clients send', async () => {
    const metricsUrl = network.gatewayUrl.replace(/graphql$/, 'metrics');
    expect((await fetch(metricsUrl)).status).toBe(401);
    const read = async () =>
      (await fetch(metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const token = await network.token('0180');
    await post(token, { query: LIST });
    const before = (await read()).length;
    for (let i = 0; i < 50; i++) {
      const name = `Q${i}_${'x'.repeat(5000)}`;
      await post(token, { query: `query ${name} { municipalities { code } }`, operationName: name });
    }
    const after = await read();
    expect(after).not.toContain('xxxxxxxxxx');
    expect(after).toMatch(/gateway_requests_total\{operation="other",outcome="ok"\} [1-9]/);
    expect(after.length - before).toBeLessThan(4096);
  });

  it('starts its own trace rather than the one a client names', async () => {
    const clientTrace = 'abcdefabcdefabcdefabcdefabcdef12';
    const token = await network.token('1280');
    const reply = await post(
      token,
      { query: '{ assignments(first: 5) { edges { node { id planSummary { items { category } } } } } }' },
      { traceparent: `00-${clientTrace}-00f067aa0ba902b7-01` },
    );
    expect(reply.status).toBe(200);
    const log = await network.internal<{ disclosureLog: { traceId: string }[] }>(
      '0180',
      '{ disclosureLog(first: 100) { traceId } }',
      undefined,
      ['auditor'],
    );
    expect(log.data?.disclosureLog.length).toBeGreaterThan(0);
    expect(log.data?.disclosureLog.map((e) => e.traceId)).not.toContain(clientTrace);
  });
});

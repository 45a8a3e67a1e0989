// Trusted documents: with a manifest, only the operations it lists run, and a
// refusal reaches the client as OPERATION_NOT_TRUSTED, not as an internal error.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../../gateway/config';
import { readManifest, trustedDocuments } from '../../gateway/hardening/trustedDocuments';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { ensureKeyPair, gatewayKeyFiles } from '../../runtime/keys';
import { createLogger } from '../../runtime/logger';
import { startIdentityProvider, type StandInIdentityProvider } from '../support/identityProvider';

const dir = mkdtempSync(join(tmpdir(), 'avhoppare-trusted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRUSTED = /* GraphQL */ `
  query Municipalities {
    municipalities
  }
`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('trusted documents', () => {
  it('runs a listed operation and refuses any other with OPERATION_NOT_TRUSTED', async () => {
    const file = join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ [sha256(TRUSTED)]: TRUSTED }));
    const server = new ApolloServer({
      typeDefs: 'type Query { municipalities: [String!]! secret: String }',
      resolvers: { Query: { municipalities: () => ['0180', '1480', '1280'], secret: () => 'never' } },
      plugins: [trustedDocuments(readManifest(file))],
    });
    await server.start();
    try {
      const trusted = await server.executeOperation({ query: TRUSTED });
      expect(trusted.body.kind === 'single' && trusted.body.singleResult).toMatchObject({
        data: { municipalities: ['0180', '1480', '1280'] },
      });
      const other = await server.executeOperation({ query: '{ secret }' });
      expect(other.body.kind === 'single' && other.body.singleResult.errors?.[0]?.extensions?.code).toBe(
        'OPERATION_NOT_TRUSTED',
      );
      expect(other.body.kind === 'single' && other.body.singleResult.data).toBeUndefined();
    } finally {
      await server.stop();
    }
  });

  it('runs the gateway’s own operations (the CSV report’s query) beside the manifest', async () => {
    const file = join(dir, 'own.json');
    writeFileSync(file, JSON.stringify({ [sha256(TRUSTED)]: TRUSTED }));
    const own = '{ secret }';
    const server = new ApolloServer({
      typeDefs: 'type Query { municipalities: [String!]! secret: String }',
      resolvers: { Query: { municipalities: () => [], secret: () => 'report' } },
      plugins: [trustedDocuments(readManifest(file), [own])],
    });
    await server.start();
    try {
      const report = await server.executeOperation({ query: own });
      expect(report.body.kind === 'single' && report.body.singleResult.data).toEqual({ secret: 'report' });
      const other = await server.executeOperation({ query: '{ municipalities }' });
      expect(other.body.kind === 'single' && other.body.singleResult.errors?.[0]?.extensions?.code).toBe(
        'OPERATION_NOT_TRUSTED',
      );
    } finally {
      await server.stop();
    }
  });

  it('refuses a manifest whose entry does not hash to its key', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ['0'.repeat(64)]: TRUSTED }));
    expect(() => readManifest(file)).toThrow(/hashes to/);
  });
});

// The gateway as it runs in production: its own Apollo Server, formatError
// masking in production mode, the trusted-documents plugin, over HTTP. The
// listed operation reads the agreement data served in-process, so no city
// needs to run (their URLs point nowhere).
describe('a production gateway with a trusted-documents manifest', () => {
  const LISTED = /* GraphQL */ `
    query Parties {
      municipalities {
        code
        name
      }
    }
  `;
  const NOT_LISTED = /* GraphQL */ `
    query Agreements {
      agreements {
        id
      }
    }
  `;
  let gateway: RunningGateway;
  let token: string;
  let idp: StandInIdentityProvider;

  beforeAll(async () => {
    // Production trusts only real identity providers, and never creates its key.
    idp = await startIdentityProvider(['0180', '1480']);
    const networkFile = join(dir, 'network.json');
    writeFileSync(
      networkFile,
      JSON.stringify({
        municipalities: [
          {
            code: '0180',
            name: 'Stockholm',
            url: 'http://127.0.0.1:9',
            identityProvider: idp.entryOf('0180'),
          },
          {
            code: '1480',
            name: 'Göteborg',
            url: 'http://127.0.0.1:9',
            identityProvider: idp.entryOf('1480'),
          },
        ],
      }),
    );
    const manifestFile = join(dir, 'gateway-manifest.json');
    writeFileSync(manifestFile, JSON.stringify({ [sha256(LISTED)]: LISTED }));
    const keysDir = join(dir, 'keys');
    await ensureKeyPair(gatewayKeyFiles(keysDir));
    const config = readGatewayConfig({
      NODE_ENV: 'production',
      PORT: '0',
      KEYS_DIR: keysDir,
      NETWORK_FILE: networkFile,
      TRUSTED_DOCUMENTS_FILE: manifestFile,
    });
    gateway = await startGateway(config, { log: createLogger({ service: 'test', level: 'silent' }) });
    token = await idp.mint('0180');
  });
  afterAll(async () => {
    await gateway?.stop();
    await idp?.close();
  });

  const post = async (query: string) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      },
    };
  };

  it('runs an operation in the manifest', async () => {
    const { status, body } = await post(LISTED);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      municipalities: [
        { code: '0180', name: 'Stockholm' },
        { code: '1480', name: 'Göteborg' },
      ],
    });
  });

  it('refuses any other with OPERATION_NOT_TRUSTED, unmasked, and runs nothing', async () => {
    const { status, body } = await post(NOT_LISTED);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      { message: 'Only trusted documents may run here', extensions: { code: 'OPERATION_NOT_TRUSTED' } },
    ]);
  });
});

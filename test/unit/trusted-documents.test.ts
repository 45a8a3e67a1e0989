// Trusted documents: with a manifest, only the operations it lists run.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifest, trustedDocuments } from '../../gateway/hardening/trustedDocuments';

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

  it('refuses a manifest whose entry does not hash to its key', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ['0'.repeat(64)]: TRUSTED }));
    expect(() => readManifest(file)).toThrow(/hashes to/);
  });
});

// Comparing this city's logs with the checkpoints another city holds of them:
// the holder's answer is checked page by page, so a holder that answers the
// same page again, or anything but its checkpoints in order, ends the
// comparison with an error instead of keeping it asking.
import { createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../subgraphs/audit/checkpoints';
import { compareWithHolders, type CompareOptions } from '../../subgraphs/audit/verification';
import type { CityDatabase } from '../../subgraphs/db/database';
import type { HeldCheckpointLine, PeerReply, ReadMessage } from '../../subgraphs/peer/protocol';

const HASH = 'a'.repeat(64);
const AT = '2026-12-01T10:00:00.000Z';

/** Every entry of this city's logs has HASH: each checkpoint signed by it matches. */
const db = { query: () => Promise.resolve([{ hash: HASH }]) } as unknown as CityDatabase;

let page: HeldCheckpointLine[];
let ownKeys: CompareOptions['ownKeys'];

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: 'k', alg: 'ES256' };
  ownKeys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' }] });
  page = await Promise.all(
    Array.from({ length: 1000 }, async (_, i) => {
      const claims = {
        municipality: '0180',
        log: 'disclosure' as const,
        sequence: i + 1,
        hash: HASH,
        at: AT,
      };
      const { municipality: _m, ...line } = claims;
      return { ...line, signature: await signCheckpoint(privateJwk, claims) };
    }),
  );
});

function compare(answer: (message: ReadMessage, asked: number) => PeerReply, own = db) {
  let asked = 0;
  return compareWithHolders({
    city: '0180',
    db: own,
    holders: ['1280'],
    ask: (_holder, message) => Promise.resolve(answer(message, ++asked)),
    ownKeys,
  });
}

describe('comparing with the checkpoints another city holds', () => {
  it('reads page after page while each follows the one before, and compares every checkpoint', async () => {
    const [disclosure] = await compare((message, asked) => ({
      ok: true,
      result: {
        checkpoints:
          message.kind === 'checkpointsHeld' && message.log === 'disclosure' && asked === 1 ? page : [],
      },
    }));
    expect(disclosure).toMatchObject({ log: 'disclosure', checked: 1000, firstMismatch: null, error: null });
  });

  it('ends with an error when the holder answers the same page again', async () => {
    const [disclosure] = await compare((message) => ({
      ok: true,
      result: { checkpoints: message.kind === 'checkpointsHeld' && message.log === 'disclosure' ? page : [] },
    }));
    expect(disclosure).toMatchObject({ log: 'disclosure', checked: 1000, firstMismatch: null });
    expect(disclosure!.error).toMatch(/in order/);
  });

  it('ends with an error when the holder answers something other than checkpoints', async () => {
    const results = await compare(() => ({ ok: true, result: { checkpoints: [{ sequence: 'many' }] } }));
    expect(results.map((r) => r.error)).toEqual([
      '1280 answered with something other than its checkpoints in order',
      '1280 answered with something other than its checkpoints in order',
    ]);
  });

  it('fails, rather than blaming the holder, when this city cannot read its own log', async () => {
    const broken = { query: () => Promise.reject(new Error('connection lost')) } as unknown as CityDatabase;
    await expect(
      compare(
        (message, asked) => ({
          ok: true,
          result: { checkpoints: message.kind === 'checkpointsHeld' && asked === 1 ? page : [] },
        }),
        broken,
      ),
    ).rejects.toThrow('connection lost');
  });
});

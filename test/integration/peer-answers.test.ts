// A city reads another city's answers only up to a bound: a larger answer is
// dropped unread and the question counts as unanswered, so a hostile city
// cannot fill the asking city's memory by answering without end. Only a
// digest may be large; every other answer has a much smaller bound. A real
// peer client asks a real HTTP server on loopback that plays the other city.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeerClient, PeerUnavailableError, type PeerClient } from '../../subgraphs/peer/client';

const LIMIT = 64 * 1024;
const DIGEST_LIMIT = 32 * LIMIT;
const STOCKHOLM = { municipality: '0180', unit: null, subject: 'consistency-check', permissions: [] };

describe('answers from another city', () => {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-answers-'));
  let server: Server;
  let client: PeerClient;
  /** Bytes of padding the stand-in city puts in its next answers. */
  let padding = 0;
  let questions = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        questions += 1;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, result: { categories: [], padding: 'x'.repeat(padding) } }));
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as AddressInfo;
    const networkFile = join(dir, 'network.json');
    writeFileSync(
      networkFile,
      JSON.stringify({
        municipalities: [
          { code: '0180', name: 'Stockholm', url: 'http://127.0.0.1:9' },
          { code: '1280', name: 'Malmö', url: `http://127.0.0.1:${port}` },
        ],
      }),
    );
    client = await createPeerClient({
      city: '0180',
      keysDir: join(dir, 'keys'),
      networkFile,
      timeoutMs: 2000,
      answerLimits: { other: LIMIT, digest: DIGEST_LIMIT },
    });
  });
  afterAll(async () => {
    await client?.close();
    await new Promise((closed) => server?.close(closed));
    rmSync(dir, { recursive: true, force: true });
  });

  it('are read when within the bound', async () => {
    padding = LIMIT / 2;
    const reply = await client.ask('1280', { kind: 'offers' }, STOCKHOLM);
    expect(reply.ok).toBe(true);
  });

  it('are dropped unread beyond it: the question is unanswered, and the next one is asked afresh', async () => {
    padding = LIMIT * 16;
    questions = 0;
    const asked = client.ask('1280', { kind: 'offers' }, STOCKHOLM);
    await expect(asked).rejects.toBeInstanceOf(PeerUnavailableError);
    await expect(asked).rejects.toThrow(/EXCEEDED_MAX_SIZE/);
    // Asked again as for any city that did not answer, then given up.
    expect(questions).toBe(3);

    padding = 0;
    expect((await client.ask('1280', { kind: 'offers' }, STOCKHOLM)).ok).toBe(true);
  });

  it('may be larger for a digest, which alone grows with the assignments shared, up to its own bound', async () => {
    padding = LIMIT * 16;
    expect((await client.ask('1280', { kind: 'digest' }, STOCKHOLM)).ok).toBe(true);
    // The same answer to any other question is dropped.
    await expect(client.ask('1280', { kind: 'offers' }, STOCKHOLM)).rejects.toThrow(/EXCEEDED_MAX_SIZE/);

    padding = DIGEST_LIMIT * 2;
    await expect(client.ask('1280', { kind: 'digest' }, STOCKHOLM)).rejects.toThrow(/EXCEEDED_MAX_SIZE/);
  });
});

// Digest questions from one city are answered one at a time: a city that asks
// many at once cannot take more than one of the answering city's database
// connections with them, while another city's question is not held up. The
// database here is a stand-in that holds each statement until released, so
// the test sees how many run at once.
import { describe, expect, it, vi } from 'vitest';
import type { CityConfig } from '../../subgraphs/city';
import type { CityDatabase } from '../../subgraphs/db/database';
import type { PeerReply, ReadMessage } from '../../subgraphs/peer/protocol';
import { answerRead } from '../../subgraphs/peer/reads';

describe('digest questions', () => {
  it('from one city are answered one at a time; another city’s are not held up by them', async () => {
    const held: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const statement = () =>
      new Promise<unknown[]>((done) => {
        running += 1;
        most = Math.max(most, running);
        held.push(() => {
          running -= 1;
          done([]);
        });
      });
    const db = {
      prisma: { $queryRaw: statement, outboxMessage: { findMany: () => Promise.resolve([]) } },
    } as unknown as CityDatabase;
    const ask = (sender: string, message: ReadMessage) =>
      answerRead({ city: {} as CityConfig, db, sender, now: new Date() }, message);

    const answers: Promise<PeerReply>[] = [
      ask('0180', { kind: 'digestBuckets', buckets: ['00'] }),
      ask('0180', { kind: 'digest', buckets: ['00'] }),
      ask('0180', { kind: 'digestBuckets', buckets: ['01'] }),
      ask('1480', { kind: 'digestBuckets', buckets: ['00'] }),
    ];
    // Stockholm's first and Göteborg's run; Stockholm's others wait their turn.
    await vi.waitFor(() => expect(held).toHaveLength(2));
    for (let released = 0; released < 4; released += 1) {
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(released));
      expect(running).toBeLessThanOrEqual(2);
      held[released]!();
    }
    expect(await Promise.all(answers)).toEqual([
      { ok: true, result: { buckets: [] } },
      { ok: true, result: { lines: [] } },
      { ok: true, result: { buckets: [] } },
      { ok: true, result: { buckets: [] } },
    ]);
    expect(most).toBe(2);
  });
});

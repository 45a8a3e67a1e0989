// The disclosure log's hash chain finds any change, removal or reordering,
// and names the first entry that no longer fits.
import { describe, expect, it } from 'vitest';
import {
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type LogEntryContent,
  type StoredLogEntry,
} from '../../subgraphs/audit/chain';

function chain(count: number): StoredLogEntry[] {
  const entries: StoredLogEntry[] = [];
  let previousHash = GENESIS_HASH;
  for (let sequence = 1; sequence <= count; sequence++) {
    const content: LogEntryContent = {
      at: new Date(Date.UTC(2023, 4, sequence)),
      municipality: '0180',
      unit: null,
      subject: `user-${sequence}`,
      permissions: ['caseworker'],
      operation: 'Assignments',
      kind: 'query',
      assignments: [`asg:1280:0180:00000000-0000-4000-8000-00000000000${sequence}`],
      fields: ['Assignment.planSummary', 'Query.assignments'],
      basis: '{"x":"IN_FORCE"}',
      traceId: `${sequence}`.padStart(32, '0'),
    };
    const hash = entryHash(previousHash, content);
    entries.push({ ...content, sequence, previousHash, hash });
    previousHash = hash;
  }
  return entries;
}

describe('the disclosure log chain', () => {
  it('holds for an untouched log and gives its anchor', () => {
    const entries = chain(5);
    expect(verifyChain(entries)).toEqual({
      ok: true,
      checked: 5,
      firstBrokenSequence: null,
      anchor: { sequence: 5, hash: entries[4]!.hash },
    });
    expect(verifyChain([])).toEqual({ ok: true, checked: 0, firstBrokenSequence: null, anchor: null });
  });

  it('names the first entry whose content was changed', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, fields: [...entries[2]!.fields, 'Case.personName'] };
    expect(verifyChain(entries)).toMatchObject({ ok: false, firstBrokenSequence: 3 });
  });

  it('notices a removed entry, a reordering and a rewritten tail', () => {
    const removed = chain(5).filter((e) => e.sequence !== 2);
    expect(verifyChain(removed)).toMatchObject({ ok: false, firstBrokenSequence: 3 });
    const swapped = chain(4);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, firstBrokenSequence: 3 });
    // Rehashing a changed entry keeps it consistent in itself, but breaks the next link.
    const rewritten = chain(3);
    rewritten[0] = { ...rewritten[0]!, subject: 'someone-else' };
    rewritten[0].hash = entryHash(GENESIS_HASH, rewritten[0]);
    expect(verifyChain(rewritten)).toMatchObject({ ok: false, firstBrokenSequence: 2 });
  });

  it('is not broken by a sequence number a rolled-back append skipped', () => {
    // Entries link by hash: numbers 3 and 4 were taken by transactions that rolled back.
    const entries = chain(4).map((entry, i) => ({ ...entry, sequence: i < 2 ? i + 1 : i + 3 }));
    expect(verifyChain(entries)).toMatchObject({ ok: true, checked: 4, anchor: { sequence: 6 } });
    const reordered = entries.map((entry, i) => (i === 3 ? { ...entry, sequence: 2 } : entry));
    expect(verifyChain(reordered)).toMatchObject({ ok: false, firstBrokenSequence: 2 });
  });
});

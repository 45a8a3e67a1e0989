// Convergence checked, not assumed: two cities compare digests of the
// assignments they share. compareDigests is pure: lines that agree, lines
// that differ (with the fields that differ), and lines either side is still
// delivering changes about, which are catching up rather than different.
// Bucket hashes first: only the buckets that differ are compared line by line.
import { describe, expect, it } from 'vitest';
import { formatId } from '../../schema/contract/ids';
import { bucketSlice, compareDigests, differingBuckets } from '../../subgraphs/peer/consistency';
import {
  DIGEST_BUCKETS,
  digestBucketOf,
  type DigestBucket,
  type DigestLine,
} from '../../subgraphs/peer/protocol';

const STOCKHOLM = '0180';
const MALMO = '1280';
const [A, B, C] = [
  '0a0a0a0a-0000-4000-8000-000000000001',
  '0b0b0b0b-0000-4000-8000-000000000002',
  '0c0c0c0c-0000-4000-8000-000000000003',
].map((uuid) => formatId('asg', STOCKHOLM, MALMO, uuid)) as [string, string, string];

function line(assignmentId: string, overrides: Partial<DigestLine> = {}): DigestLine {
  return {
    assignmentId,
    status: 'ACTIVE',
    planVersion: 2,
    costTotal: '3600.00',
    pending: false,
    ...overrides,
  };
}

describe('compareDigests', () => {
  it('counts the lines that agree, and names the counterparty', () => {
    expect(compareDigests(MALMO, [line(A), line(B)], [line(B), line(A)])).toEqual({
      counterparty: MALMO,
      agreeing: 2,
      catchingUp: 0,
      differences: [],
    });
  });

  it('agrees on nothing to compare', () => {
    expect(compareDigests(MALMO, [], [])).toEqual({
      counterparty: MALMO,
      agreeing: 0,
      catchingUp: 0,
      differences: [],
    });
  });

  it('finds an assignment missing on their side', () => {
    expect(compareDigests(MALMO, [line(A), line(B)], [line(A)])).toMatchObject({
      agreeing: 1,
      differences: [{ assignmentId: B, fields: ['missing'] }],
    });
  });

  it('finds an assignment missing on our side', () => {
    expect(compareDigests(MALMO, [line(A)], [line(A), line(C)])).toMatchObject({
      agreeing: 1,
      differences: [{ assignmentId: C, fields: ['missing'] }],
    });
  });

  it('names each field that differs', () => {
    const ours = [line(A), line(B), line(C)];
    const theirs = [
      line(A, { status: 'TERMINATED' }),
      line(B, { planVersion: 1 }),
      line(C, { costTotal: '2400.00' }),
    ];
    expect(compareDigests(MALMO, ours, theirs).differences).toEqual([
      { assignmentId: A, fields: ['status'] },
      { assignmentId: B, fields: ['planVersion'] },
      { assignmentId: C, fields: ['costTotal'] },
    ]);
  });

  it('names every field of one line that differs, in a fixed order', () => {
    expect(
      compareDigests(MALMO, [line(A)], [line(A, { costTotal: '0.00', status: 'ACCEPTED', planVersion: 0 })]),
    ).toMatchObject({
      agreeing: 0,
      differences: [{ assignmentId: A, fields: ['status', 'planVersion', 'costTotal'] }],
    });
  });

  it('counts a line as catching up while either side has changes about it on their way', () => {
    const ours = [line(A, { pending: true }), line(B)];
    const theirs = [line(A, { status: 'COMPLETED' }), line(B, { pending: true, costTotal: '9.00' })];
    expect(compareDigests(MALMO, ours, theirs)).toEqual({
      counterparty: MALMO,
      agreeing: 0,
      catchingUp: 2,
      differences: [],
    });
  });

  it('counts a proposal not yet delivered as catching up, not missing', () => {
    expect(compareDigests(MALMO, [line(C, { status: 'PROPOSED', pending: true })], [])).toMatchObject({
      catchingUp: 1,
      differences: [],
    });
  });

  it('lists differences by assignment id, whichever side the lines came from', () => {
    const result = compareDigests(MALMO, [line(C), line(A, { status: 'ACCEPTED' })], [line(B), line(A)]);
    expect(result.differences.map((d) => d.assignmentId)).toEqual([A, B, C]);
  });

  it('counts every assignment once: agreeing, catching up or different', () => {
    const result = compareDigests(
      MALMO,
      [line(A), line(B, { pending: true })],
      [line(A), line(B), line(C, { planVersion: 3 })],
    );
    expect(result.agreeing + result.catchingUp + result.differences.length).toBe(3);
  });
});

describe('digest buckets', () => {
  const bucket = (name: string, hash: string, count = 1): DigestBucket => ({ bucket: name, count, hash });

  it('has 256 buckets, the last two hex digits of an assignment id', () => {
    expect(DIGEST_BUCKETS).toHaveLength(256);
    expect(new Set(DIGEST_BUCKETS).size).toBe(256);
    expect([DIGEST_BUCKETS[0], DIGEST_BUCKETS[255]]).toEqual(['00', 'ff']);
    expect(digestBucketOf(A)).toBe('01');
    expect(digestBucketOf(formatId('asg', STOCKHOLM, MALMO, '0a0a0a0a-0000-4000-8000-0000000000e7'))).toBe(
      'e7',
    );
  });

  it('differ where the hashes differ or only one side holds lines, among those compared', () => {
    const ours = [bucket('00', 'x'), bucket('01', 'y'), bucket('02', 'z'), bucket('7f', 'q')];
    const theirs = [bucket('00', 'x'), bucket('01', 'other'), bucket('03', 'w'), bucket('7f', 'other')];
    expect(differingBuckets(['00', '01', '02', '03', '04'], ours, theirs)).toEqual(['01', '02', '03']);
    expect(differingBuckets(DIGEST_BUCKETS, [], [])).toEqual([]);
  });

  it('are swept a slice at a time, wrapping around, never more than all of them', () => {
    expect(bucketSlice(0, 2)).toEqual(['00', '01']);
    expect(bucketSlice(254, 4)).toEqual(['fe', 'ff', '00', '01']);
    expect(bucketSlice(10, 1000)).toHaveLength(256);
    expect(new Set(bucketSlice(10, 256))).toEqual(new Set(DIGEST_BUCKETS));
    // 256 ÷ width slices cover every bucket once.
    const swept = [0, 32, 64, 96, 128, 160, 192, 224].flatMap((start) => bucketSlice(start, 32));
    expect(swept).toEqual(DIGEST_BUCKETS);
  });
});

import { describe, expect, it } from 'vitest';
import { bucketsBetween, histogramBuckets, histogramQuantile, shareWithin } from '../../bench/measure';

const reading = (counts: number[]) =>
  [
    `# HELP d Delivery`,
    `# TYPE d histogram`,
    ...[0.01, 0.02, 0.05].map((le, i) => `d_bucket{le="${le}",recipient="0180"} ${counts[i]}`),
    `d_bucket{le="+Inf",recipient="0180"} ${counts[3]}`,
    `d_bucket{le="0.01",recipient="1280"} 99`,
    `d_sum{recipient="0180"} 1`,
  ].join('\n');

describe('the bench reading a histogram over one stretch of time', () => {
  const before = histogramBuckets(reading([5, 8, 9, 10]), 'd', ['recipient="0180"']);
  const after = histogramBuckets(reading([5, 58, 107, 110]), 'd', ['recipient="0180"']);
  const window = bucketsBetween(before, after);

  it('reads one series, its buckets in order', () => {
    expect(before).toEqual([
      { le: 0.01, count: 5 },
      { le: 0.02, count: 8 },
      { le: 0.05, count: 9 },
      { le: Infinity, count: 10 },
    ]);
  });

  it('leaves out what was observed before the stretch began', () => {
    expect(window.map((b) => b.count)).toEqual([0, 50, 98, 100]);
  });

  it('interpolates a quantile inside its bucket, as Prometheus does', () => {
    expect(histogramQuantile(window, 0.5)).toBeCloseTo(0.02, 10);
    expect(histogramQuantile(window, 0.25)).toBeCloseTo(0.015, 10);
    expect(histogramQuantile(window, 0.9)).toBeCloseTo(0.02 + (0.03 * 40) / 48, 10);
    // Beyond the last finite bound, the bound itself: the most a histogram can say.
    expect(histogramQuantile(window, 0.99)).toBe(0.05);
    expect(shareWithin(window, 0.05)).toBe(0.98);
  });

  it('says nothing of a stretch without observations', () => {
    expect(histogramQuantile(bucketsBetween(after, after), 0.5)).toBeNull();
    expect(shareWithin(bucketsBetween(after, after), 0.05)).toBeNull();
  });
});

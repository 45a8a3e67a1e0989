import { describe, expect, it } from 'vitest';
import { basisLines, filtersOf, logVariables, stockholmMidnight } from '../../src/domain/auditLog';

describe('the auditor’s log page', () => {
  it('reads the basis of each kind of entry', () => {
    expect(basisLines('{"asg:0180:1480:a":"IN_FORCE","asg:0180:1480:b":"LAPSED:WITHDRAWN"}')).toEqual([
      { subject: 'asg:0180:1480:a', state: 'IN_FORCE' },
      { subject: 'asg:0180:1480:b', state: 'LAPSED', lapse: 'WITHDRAWN' },
    ]);
    expect(basisLines('{"reply":"ok"}')).toEqual([{ subject: 'reply', state: 'ok' }]);
    expect(basisLines('{}')).toEqual([]);
    expect(basisLines('not json')).toEqual([{ subject: '', state: 'not json' }]);
  });

  it('filters by whole days in Stockholm, summer and winter', () => {
    expect(stockholmMidnight('2024-01-15')).toBe('2024-01-14T23:00:00.000Z');
    expect(stockholmMidnight('2024-07-15')).toBe('2024-07-14T22:00:00.000Z');
    // The day the clocks go forward starts in winter time.
    expect(stockholmMidnight('2024-03-31')).toBe('2024-03-30T23:00:00.000Z');
    const filters = filtersOf(new URLSearchParams('from=2024-07-01&to=2024-07-31&counterpart=1480'));
    expect(logVariables(filters)).toEqual({
      counterpart: '1480',
      assignmentId: null,
      traceId: null,
      from: '2024-06-30T22:00:00.000Z',
      to: '2024-07-31T22:00:00.000Z',
    });
  });

  it('takes a trace id from a link, and leaves out one not yet complete', () => {
    const trace = '4BF92F3577B34DA6A3CE929D0E0E4736';
    expect(logVariables(filtersOf(new URLSearchParams(`trace=${trace}`))).traceId).toBe(trace.toLowerCase());
    expect(logVariables(filtersOf(new URLSearchParams('trace=4bf92f'))).traceId).toBeNull();
  });
});

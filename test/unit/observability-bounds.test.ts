// What clients cannot choose: the labels metrics grow by (known operation
// names only) and the trace id (only trusted callers continue theirs).
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { operationLabel, operationNames } from '../../gateway/metrics';
import { trustedTraceCallers } from '../../gateway/traceCallers';
import { continueTrace } from '../../runtime/telemetry';

const from = (remoteAddress: string) => ({ socket: { remoteAddress } }) as unknown as Request;

describe('metric labels', () => {
  it('name only known operations; every other name is other', () => {
    const known = new Set(operationNames(['query Parties { municipalities { code } }', 'not graphql {']));
    expect(known).toEqual(new Set(['Parties']));
    expect(operationLabel(known, 'Parties')).toBe('Parties');
    expect(operationLabel(known, `Q_${'x'.repeat(5000)}`)).toBe('other');
    expect(operationLabel(known, undefined)).toBe('(anonymous)');
  });
});

describe('trace context', () => {
  const clientTrace = 'abcdefabcdefabcdefabcdefabcdef12';
  const headers = { traceparent: `00-${clientTrace}-00f067aa0ba902b7-01` };

  it('is continued from trusted callers only, by address or range', () => {
    const trusted = trustedTraceCallers(['10.1.0.0/16', '127.0.0.1']);
    expect(trusted(from('10.1.2.3'))).toBe(true);
    expect(trusted(from('::ffff:127.0.0.1'))).toBe(true);
    expect(trusted(from('10.2.0.1'))).toBe(false);
    expect(trustedTraceCallers([])(from('127.0.0.1'))).toBe(false);
    expect(() => trustedTraceCallers(['not-an-address'])).toThrow(/TRUSTED_TRACE_CALLERS/);
  });

  it('starts anew for anyone else, keeping the caller’s id as a link', () => {
    expect(continueTrace(headers, 'request', {}, true).traceId).toBe(clientTrace);
    const untrusted = continueTrace(headers, 'request', {}, false);
    expect(untrusted.traceId).not.toBe(clientTrace);
    expect(untrusted.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(untrusted.linkedTraceId).toBe(clientTrace);
  });
});

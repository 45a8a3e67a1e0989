// The shared contract every city and the gateway agree on: party ids,
// keyset cursors, money amounts and the error masking at the edge.
import { describe, expect, it } from 'vitest';
import { encodeCursor, decodeCursor, compareKeys } from '../../schema/contract/cursor';
import { ErrorCode, maskError } from '../../schema/contract/errors';
import { formatId, parseId, ownerOfId } from '../../schema/contract/ids';
import { formatAmount, money } from '../../schema/contract/money';

const UUID = '3f2b8c1e-5d4a-4b6f-9e21-0c7d8a9b1f34';
const STOCKHOLM = '0180';
const MALMO = '1280';

describe('assignment ids', () => {
  it('names both parties, so an id written by one city parses back to the same parts', () => {
    const id = formatId('asg', STOCKHOLM, MALMO, UUID);

    expect(id).toBe(`asg:0180:1280:${UUID}`);
    expect(parseId(id)).toEqual({ kind: 'asg', home: '0180', receiving: '1280', uuid: UUID });
  });

  it('generates a fresh lower-case uuid when none is given, and still round-trips', () => {
    const id = formatId('cost', MALMO, STOCKHOLM);
    const parsed = parseId(id, 'cost');

    expect(parsed).toMatchObject({ kind: 'cost', home: '1280', receiving: '0180' });
    expect(parsed!.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(formatId('cost', MALMO, STOCKHOLM, parsed!.uuid)).toBe(id);
  });

  it('tells which party owns the record in a role', () => {
    const id = formatId('item', STOCKHOLM, MALMO, UUID);

    expect(ownerOfId(id, 'home')).toBe('0180');
    expect(ownerOfId(id, 'receiving')).toBe('1280');
  });

  it('accepts an id of the expected kind', () => {
    expect(parseId(`item:0180:1280:${UUID}`, 'item')).toEqual({
      kind: 'item',
      home: '0180',
      receiving: '1280',
      uuid: UUID,
    });
  });

  it('refuses an id of another kind than the one expected', () => {
    expect(parseId(`item:0180:1280:${UUID}`, 'asg')).toBeNull();
    expect(parseId(`cost:0180:1280:${UUID}`, 'item')).toBeNull();
  });

  it.each([
    ['upper-case kind', `ASG:0180:1280:${UUID}`],
    ['upper-case uuid', `asg:0180:1280:${UUID.toUpperCase()}`],
    ['unknown kind', `case:0180:1280:${UUID}`],
    ['three-digit municipality', `asg:180:1280:${UUID}`],
    ['letters as municipality', `asg:sthl:1280:${UUID}`],
    ['missing receiving party', `asg:0180:${UUID}`],
    ['truncated uuid', `asg:0180:1280:${UUID.slice(0, -1)}`],
    ['uuid without dashes', `asg:0180:1280:${UUID.replaceAll('-', '')}`],
    ['trailing text', `asg:0180:1280:${UUID}:x`],
    ['leading whitespace', ` asg:0180:1280:${UUID}`],
    ['empty string', ''],
  ])('refuses a malformed id (%s)', (_case, id) => {
    expect(parseId(id)).toBeNull();
  });

  it.each([[null], [undefined], [42], [{ id: `asg:0180:1280:${UUID}` }]])(
    'refuses a non-string id %j',
    (id) => {
      expect(parseId(id)).toBeNull();
    },
  );
});

describe('assignment list cursors', () => {
  const key = { updatedAt: '2024-05-17T08:30:00.125Z', id: `asg:0180:1280:${UUID}` };

  it('decodes to the key it was made from', () => {
    const cursor = encodeCursor(key);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(key);
  });

  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it.each([
    ['garbage', 'not a cursor!'],
    ['empty string', ''],
    ['base64 of plain text', Buffer.from('hello world').toString('base64url')],
    ['base64 of an object', base64url({ updatedAt: key.updatedAt, id: key.id })],
    ['base64 of a one-element array', base64url([key.updatedAt])],
    ['base64 of a three-element array', base64url([key.updatedAt, key.id, 'extra'])],
    ['base64 of swapped parts', base64url([key.id, key.updatedAt])],
    ['a date without milliseconds', base64url(['2024-05-17T08:30:00Z', key.id])],
    ['a date with an offset', base64url(['2024-05-17T08:30:00.125+02:00', key.id])],
    ['a numeric timestamp', base64url([1715934600125, key.id])],
    ['an empty id', base64url([key.updatedAt, ''])],
  ])('refuses a cursor it did not write (%s)', (_case, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });

  // Date.toISOString() never writes these, so no city ever handed them out. A
  // city turns the instant into a Date for its query: the first three become
  // Invalid Date (the database client then fails, and the client sees an
  // internal error instead of BAD_USER_INPUT), the last silently becomes
  // 1 March and resumes the list at another place than the gateway's merge.
  it.each([
    ['month 13', '2024-13-01T08:30:00.125Z'],
    ['hour 25', '2024-05-17T25:00:00.000Z'],
    ['minute 60', '2024-05-17T23:60:00.000Z'],
    ['30 February', '2024-02-30T08:30:00.125Z'],
  ])('refuses a cursor whose instant is no real time (%s)', (_case, updatedAt) => {
    expect(decodeCursor(base64url([updatedAt, key.id]))).toBeNull();
  });

  it('orders newer first, then larger id first on the same instant', () => {
    const older = { updatedAt: '2024-05-17T08:30:00.124Z', id: 'asg:0180:1280:b' };
    const newerSmallId = { updatedAt: '2024-05-17T08:30:00.125Z', id: 'asg:0180:1280:a' };
    const newerLargeId = { updatedAt: '2024-05-17T08:30:00.125Z', id: 'asg:1480:0180:a' };

    const sorted = [older, newerSmallId, newerLargeId].sort(compareKeys);

    expect(sorted.map((k) => k.id)).toEqual(['asg:1480:0180:a', 'asg:0180:1280:a', 'asg:0180:1280:b']);
    expect(compareKeys(newerSmallId, { ...newerSmallId })).toBe(0);
  });
});

describe('money amounts', () => {
  it.each([
    ['12500', '12500.00'],
    ['12500.5', '12500.50'],
    ['12500.05', '12500.05'],
    ['0', '0.00'],
    ['-350.5', '-350.50'],
  ])('writes the decimal string %s with exactly two decimals as %s', (input, expected) => {
    expect(formatAmount(input)).toBe(expected);
  });

  it('writes a Decimal-like value through its toFixed(2)', () => {
    const calls: number[] = [];
    const decimal = {
      toFixed(digits: number) {
        calls.push(digits);
        return '12500.50';
      },
      toString: () => '12500.5',
    };

    expect(formatAmount(decimal)).toBe('12500.50');
    expect(calls).toEqual([2]);
  });

  it('wraps an amount in Swedish kronor', () => {
    expect(money('980')).toEqual({ amount: '980.00', currency: 'SEK' });
  });

  it.each([['1.234'], ['abc'], [''], ['12,50'], ['1e3'], ['.5'], ['12.']])(
    'refuses %j, which is not a two-decimal amount',
    (input) => {
      expect(() => formatAmount(input)).toThrow(RangeError);
    },
  );
});

describe('error masking at the edge', () => {
  const stacktrace = ['Error: connection reset', '    at Socket.onread (node:net:1:1)'];

  it('turns an unknown error into a generic internal error in production', () => {
    const masked = maskError(
      {
        message: 'relation "assignment" does not exist',
        path: ['assignments'],
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'P2021', stacktrace },
      },
      true,
    );

    expect(masked).toEqual({
      message: 'Internal server error',
      path: ['assignments'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('turns an error without a code into a generic internal error in production', () => {
    expect(maskError({ message: 'Cannot read properties of undefined' }, true)).toEqual({
      message: 'Internal server error',
      path: undefined,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    });
  });

  it('hides the message of an error that already says INTERNAL_SERVER_ERROR in production', () => {
    const masked = maskError(
      { message: 'secret detail', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace } },
      true,
    );

    expect(masked.message).toBe('Internal server error');
    expect(masked.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it.each([
    [ErrorCode.FORBIDDEN],
    [ErrorCode.NOT_FOUND],
    [ErrorCode.CONFLICT],
    [ErrorCode.SUBGRAPH_UNAVAILABLE],
    ['GRAPHQL_VALIDATION_FAILED'],
  ])('lets a %s error through in production without its stack trace', (code) => {
    const masked = maskError(
      {
        message: 'Municipality 1480 is unavailable: timed out',
        path: ['assignments'],
        extensions: { code, municipality: '1480', stacktrace, exception: { stacktrace } },
      },
      true,
    );

    expect(masked).toEqual({
      message: 'Municipality 1480 is unavailable: timed out',
      path: ['assignments'],
      extensions: { code, municipality: '1480' },
    });
  });

  it('keeps the rules of a broken agreement rule', () => {
    const masked = maskError(
      { message: 'Quota exceeded', extensions: { code: 'CONFLICT', rules: ['SENDING_QUOTA'], stacktrace } },
      true,
    );

    expect(masked.extensions).toEqual({ code: 'CONFLICT', rules: ['SENDING_QUOTA'] });
  });

  it('passes every error through unchanged in development', () => {
    const unknown = { message: 'relation does not exist', extensions: { code: 'P2021', stacktrace } };
    const known = { message: 'No such assignment', extensions: { code: 'NOT_FOUND', stacktrace } };

    expect(maskError(unknown, false)).toEqual({
      message: 'relation does not exist',
      extensions: { code: 'P2021', stacktrace },
    });
    expect(maskError(known, false)).toEqual({
      message: 'No such assignment',
      extensions: { code: 'NOT_FOUND', stacktrace },
    });
  });
});

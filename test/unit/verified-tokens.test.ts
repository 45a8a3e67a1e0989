// Verdicts on tokens are reused until the token expires, never past a cap,
// and refusals are never reused.
import { describe, expect, it } from 'vitest';
import { rememberVerified } from '../../runtime/verifiedTokens';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('rememberVerified', () => {
  it('verifies a token once and answers it from memory until it expires', async () => {
    const { now, advance } = clock();
    let calls = 0;
    const verify = rememberVerified(
      (token) => {
        calls += 1;
        return Promise.resolve({ value: { token }, expiresAt: now() + 10_000 });
      },
      { now },
    );

    expect(await verify('a')).toEqual({ token: 'a' });
    expect(await verify('a')).toEqual({ token: 'a' });
    expect(calls).toBe(1);
    advance(10_000);
    await verify('a');
    expect(calls).toBe(2);
  });

  it('never keeps a verdict longer than the cap', async () => {
    const { now, advance } = clock();
    let calls = 0;
    const verify = rememberVerified(
      () => {
        calls += 1;
        return Promise.resolve({ value: {}, expiresAt: now() + 3_600_000 });
      },
      { now, maxAgeMs: 60_000 },
    );

    await verify('a');
    advance(59_999);
    await verify('a');
    expect(calls).toBe(1);
    advance(1);
    await verify('a');
    expect(calls).toBe(2);
  });

  it('does not remember refusals, nor tokens without an expiry', async () => {
    let calls = 0;
    const refusing = rememberVerified(() => {
      calls += 1;
      return Promise.reject(new Error('not valid'));
    });
    await expect(refusing('bad')).rejects.toThrow('not valid');
    await expect(refusing('bad')).rejects.toThrow('not valid');
    expect(calls).toBe(2);

    let unbounded = 0;
    const noExpiry = rememberVerified(() => {
      unbounded += 1;
      return Promise.resolve({ value: {}, expiresAt: 0 });
    });
    await noExpiry('t');
    await noExpiry('t');
    expect(unbounded).toBe(2);
  });
});

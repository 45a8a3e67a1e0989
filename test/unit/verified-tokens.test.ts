// Verdicts on tokens are reused until the token expires, never past a cap,
// and refusals are never reused; signed principals are reused for the same
// person and city for half their lifetime.
import { describe, expect, it } from 'vitest';
import { principalHeaders } from '../../gateway/auth/forwardPrincipal';
import type { GatewayContext } from '../../gateway/context';
import type { Principal, PrincipalSigner } from '../../schema/contract/principal';
import { rememberVerified } from '../../schema/contract/verifiedTokens';

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

describe('signed principals', () => {
  const anna: Principal = {
    municipality: '0180',
    unit: 'sto-central',
    subject: 'anna',
    roles: ['caseworker'],
  };
  const context = (principal: Principal): GatewayContext => ({
    principal,
    signedPrincipals: new Map(),
    traceId: '0af7651916cd43dd8448eb211c80319c',
  });

  it('are signed once per person and city, and again after half their lifetime', async () => {
    const { now, advance } = clock();
    const signed: string[] = [];
    const sign: PrincipalSigner = (principal, city) => {
      const token = `${principal.subject}@${city}#${signed.length}`;
      signed.push(token);
      return Promise.resolve(token);
    };
    const headers = principalHeaders(sign, { now });

    const first = await headers(context(anna), '1480');
    const second = await headers(context(anna), '1480');
    expect(second['x-gateway-principal']).toBe(first['x-gateway-principal']);
    await headers(context(anna), '1280');
    await headers(context({ ...anna, subject: 'bertil' }), '1480');
    await headers(context({ ...anna, roles: ['auditor'] }), '1480');
    expect(signed).toHaveLength(4);

    advance(30_000);
    const later = await headers(context(anna), '1480');
    expect(later['x-gateway-principal']).not.toBe(first['x-gateway-principal']);
    expect(signed).toHaveLength(5);
  });
});

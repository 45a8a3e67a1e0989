// The gateway's principal is bound to one request: a new id, one city, the
// hash of the body, 30 s. A city refuses it with another body, at another
// city, a second time, or once it has expired.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'express';
import { decodeJwt, type JWTPayload } from 'jose';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { principalHeaders } from '../../gateway/auth/forwardPrincipal';
import type { GatewayContext } from '../../gateway/context';
import { ensureKeyPair, gatewayKeyFiles } from '../../runtime/keys';
import {
  PRINCIPAL_HEADER,
  PRINCIPAL_LIFETIME_SECONDS,
  principalSigner,
  type Principal,
} from '../../schema/contract/principal';
import { fromGateway, rememberBodyHash } from '../../subgraphs/authentication';

const dir = mkdtempSync(join(tmpdir(), 'avhoppare-principal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const anna: Principal = {
  municipality: '0180',
  unit: 'sto-central',
  subject: 'anna',
  permissions: ['caseworker'],
};
const context: GatewayContext = { principal: anna, traceId: '0af7651916cd43dd8448eb211c80319c' };

/** A request as express hands it to the city, its raw body hashed as the city's JSON parser does. */
function request(body: string, headers: Record<string, string>, method = 'POST'): Request {
  const req = { method, header: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
  rememberBodyHash(req, undefined, Buffer.from(body));
  return req;
}

async function setUp() {
  const files = gatewayKeyFiles(dir);
  await ensureKeyPair(files);
  const headers = principalHeaders(await principalSigner(await ensureKeyPair(files)));
  const malmo = fromGateway({ city: '1280', gatewayJwksFile: files.jwks });
  const gothenburg = fromGateway({ city: '1480', gatewayJwksFile: files.jwks });
  return { headers, malmo, gothenburg };
}

describe('a principal bound to one request', () => {
  const body = JSON.stringify({ query: '{ assignments(first: 1) { edges { cursor } } }' });

  it('is signed anew for every call, with its own id, the city and the body’s hash, for 30 s', async () => {
    const { headers } = await setUp();
    const first = decodeJwt((await headers(context, '1280', body))[PRINCIPAL_HEADER]!);
    const second = decodeJwt((await headers(context, '1280', body))[PRINCIPAL_HEADER]!);
    expect(first.jti).toBeDefined();
    expect(second.jti).not.toBe(first.jti);
    expect(first.aud).toBe('urn:avhoppare:municipality:1280');
    expect(first.bh).toMatch(/^[\w-]{43}$/);
    expect(first.exp! - first.iat!).toBeLessThan(60);
  });

  it('lives exactly 30 s even when signed across a second boundary', async () => {
    const { headers } = await setUp();
    // A clock that moves 1 ms at every reading, starting 1 ms before a new second.
    let now = Date.UTC(2026, 11, 1, 12, 0, 0, 999);
    const RealDate = Date;
    const Ticking = class extends RealDate {
      constructor(...args: [] | [number]) {
        if (args.length === 0) super(now++);
        else super(args[0]);
      }
      static override now = () => now++;
    };
    vi.stubGlobal('Date', Ticking);
    let claims: JWTPayload;
    try {
      claims = decodeJwt((await headers(context, '1280', body))[PRINCIPAL_HEADER]!);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(claims.exp! - claims.iat!).toBe(PRINCIPAL_LIFETIME_SECONDS);
  });

  it('is accepted once, with its body, by its city', async () => {
    const { headers, malmo } = await setUp();
    const signed = await headers(context, '1280', body);
    expect(await malmo(request(body, signed))).toEqual(anna);
  });

  it('is refused a second time', async () => {
    const { headers, malmo } = await setUp();
    const signed = await headers(context, '1280', body);
    await malmo(request(body, signed));
    await expect(malmo(request(body, signed))).rejects.toMatchObject({
      message: 'The gateway principal was used before',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('is refused with another body', async () => {
    const { headers, malmo } = await setUp();
    const signed = await headers(context, '1280', body);
    const other = JSON.stringify({ query: 'mutation { withdrawAssignment(id: "x") { id } }' });
    await expect(malmo(request(other, signed))).rejects.toMatchObject({
      message: 'The gateway principal was signed for another request body',
    });
    // A refusal for the body does not use the principal up: the genuine request still passes.
    expect(await malmo(request(body, signed))).toEqual(anna);
  });

  it('is refused by another city, and without a body', async () => {
    const { headers, malmo, gothenburg } = await setUp();
    const signed = await headers(context, '1280', body);
    await expect(gothenburg(request(body, signed))).rejects.toMatchObject({
      message: 'The gateway signature is not valid for this municipality',
    });
    await expect(malmo(request('', signed, 'GET'))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});

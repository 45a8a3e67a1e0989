// People's tokens against an identity provider's JWKS URL: exp and iat are
// required and a token may not be older, nor meant to live longer, than the
// maximum age; a key the provider withdraws stops working within a minute;
// an unknown key id fetches the JWKS again at most once per cooldown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_POLICY, verifyPersonToken, type TokenIssuer } from '../../runtime/personTokens';
import { remoteJwks } from '../../runtime/remoteJwks';
import { rememberVerified } from '../../runtime/verifiedTokens';
import {
  startIdentityProvider,
  TEST_AUDIENCE,
  type StandInIdentityProvider,
} from '../support/identityProvider';

let idp: StandInIdentityProvider;
beforeAll(async () => {
  idp = await startIdentityProvider(['0180', '1480']);
});
afterAll(() => idp?.close());

/** A clock the test moves; jose checks exp and iat on the real one, which stays within the token's life. */
function clock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

function verifier(code: string, now: () => number, cooldownMs = 10_000) {
  const issuer: TokenIssuer = {
    ...idp.entryOf(code),
    keys: remoteJwks(idp.entryOf(code).jwksUrl, { now, cooldownMs }),
  };
  // As the gateway and the internal API remember verdicts: at most 30 s.
  return rememberVerified((token) => verifyPersonToken(token, issuer, DEFAULT_TOKEN_POLICY), { now });
}

describe('tokens of an identity provider', () => {
  it('need exp and iat, and may be neither older nor meant to live longer than an hour', async () => {
    const verify = verifier('0180', Date.now);
    await expect(verify(await idp.mint('0180'))).resolves.toMatchObject({ municipality: '0180' });
    const refused = [
      await idp.mint('0180', { expiresIn: null }),
      await idp.mint('0180', {}, (jwt) => jwt.setExpirationTime('10y')),
      await idp.mint('0180', {}, (jwt) =>
        jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime('5m'),
      ),
      await idp.mint('0180', {}, (jwt) => jwt.setAudience('urn:someone-else')),
    ];
    for (const token of refused) await expect(verify(token)).rejects.toThrow();
    expect(idp.entryOf('0180').audience).toBe(TEST_AUDIENCE);
  });

  it('stop passing within a minute once their key is withdrawn from the JWKS', async () => {
    const { now, advance } = clock();
    const verify = verifier('1480', now);
    const old = await idp.mint('1480', { subject: 'before' });
    await expect(verify(old)).resolves.toMatchObject({ subject: 'before' });
    const oldKid = JSON.parse(Buffer.from(old.split('.')[0]!, 'base64url').toString()) as { kid: string };

    await idp.rotate('1480');
    idp.withdraw('1480', oldKid.kid);
    // A token signed after the withdrawal with the withdrawn key (a leaked key, say).
    const afterwards = await idp.mint('1480', { subject: 'leaked', kid: oldKid.kid });
    advance(59_999);
    await expect(verify(old)).rejects.toThrow();
    await expect(verify(afterwards)).rejects.toThrow();
    await expect(verify(await idp.mint('1480', { subject: 'new key' }))).resolves.toMatchObject({
      subject: 'new key',
    });
  });

  it('fetch the JWKS again for an unknown key id at most once per cooldown', async () => {
    const { now, advance } = clock();
    const verify = verifier('0180', now, 10_000);
    await verify(await idp.mint('0180'));
    const fetched = idp.fetches.get('0180')!;
    const unknown = await idp.mint('0180', { headerKid: 'made-up' });
    for (let i = 0; i < 20; i++) await expect(verify(unknown)).rejects.toThrow();
    expect(idp.fetches.get('0180')! - fetched).toBeLessThanOrEqual(1);
    advance(10_000);
    await expect(verify(unknown)).rejects.toThrow();
    expect(idp.fetches.get('0180')! - fetched).toBeLessThanOrEqual(2);
  });
});

// Keys rotate without downtime: a verifier picks up a key published beside the
// old one, and tokens signed with either verify until the old one is removed.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureKeyPair, keyFiles, readJwks, watchedJwks } from '../../runtime/keys';
import { principalSigner, principalVerifier } from '../../schema/contract/principal';

const dir = mkdtempSync(join(tmpdir(), 'avhoppare-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const principal = { municipality: '0180', unit: null, subject: 'anna', permissions: ['caseworker'] };

function publish(file: string, keys: object[], secondsFromNow: number) {
  writeFileSync(file, JSON.stringify({ keys }));
  const when = new Date(Date.now() + secondsFromNow * 1000);
  utimesSync(file, when, when);
}

describe('gateway key rotation', () => {
  it('accepts the new key as soon as it is published, and the old one until it is withdrawn', async () => {
    const oldKey = keyFiles(dir, 'old');
    const newKey = keyFiles(dir, 'new');
    const signOld = await principalSigner(await ensureKeyPair(oldKey));
    const signNew = await principalSigner(await ensureKeyPair(newKey));
    const published = join(dir, 'gateway.jwks.json');
    publish(published, readJwks(oldKey.jwks).keys, 0);
    const verify = principalVerifier(watchedJwks(published), '1280');

    expect(await verify(await signOld(principal, '1280'))).toEqual(principal);
    await expect(verify(await signNew(principal, '1280'))).rejects.toThrow();

    publish(published, [...readJwks(oldKey.jwks).keys, ...readJwks(newKey.jwks).keys], 1);
    expect(await verify(await signNew(principal, '1280'))).toEqual(principal);
    expect(await verify(await signOld(principal, '1280'))).toEqual(principal);

    publish(published, readJwks(newKey.jwks).keys, 2);
    await expect(verify(await signOld(principal, '1280'))).rejects.toThrow();
    expect(await verify(await signNew(principal, '1280'))).toEqual(principal);
  });
});

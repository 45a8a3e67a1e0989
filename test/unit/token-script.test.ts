// npm run token: a malformed option gets the usage text and exit code 2,
// never a stack; a municipality outside the network is refused; a token it
// prints lives as long as asked.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const keysDir = mkdtempSync(join(tmpdir(), 'token-script-'));
afterAll(() => rmSync(keysDir, { recursive: true, force: true }));

function token(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(root, 'node_modules/.bin/tsx'),
      ['scripts/token.ts', ...args],
      { cwd: root, env: { ...process.env, KEYS_DIR: keysDir, NODE_ENV: 'development' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe.concurrent('npm run token', () => {
  it.each([
    [['--municipality', '0180', '--expires-in', 'banana'], /--expires-in banana is not a lifetime/],
    [['--municipality', '0180', '--expires-in', '2h'], /longer than TOKEN_MAX_AGE_SECONDS \(3600 s\)/],
    [
      ['--municipality', '9999'],
      /Municipality 9999 is not in the network; its municipalities: 0180, 1480, 1280/,
    ],
    [['--municipality', '0180', '--permission', 'admin'], /Unknown permission\(s\): admin/],
    [['--colour', 'blue'], /Unknown option '--colour'/],
    [[], /--municipality is required/],
  ])(
    'refuses %j with the usage text and no stack',
    async (args, reason) => {
      const { code, stdout, stderr } = await token(...args);

      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(reason);
      expect(stderr).toContain('Usage: npm run -s token -- --municipality <code> [options]');
      expect(stderr).not.toMatch(/\n\s+at /);
    },
    30_000,
  );

  it('documents every option it takes in its usage text', async () => {
    const { code, stdout } = await token('--help');

    expect(code).toBe(0);
    for (const option of ['--municipality', '--permission', '--unit', '--subject', '--expires-in', '--help'])
      expect(stdout).toContain(option);
  }, 30_000);

  it('prints a token of the municipality, with the lifetime asked for', async () => {
    const { code, stdout } = await token(
      '-m',
      '1480',
      '-p',
      'finance',
      '--unit',
      'u1',
      '--expires-in',
      '30m',
    );
    const claims = decodeJwt(stdout.trim().split('\n').at(-1)!);

    expect(code).toBe(0);
    expect(claims).toMatchObject({ municipality: '1480', roles: ['finance'], unit: 'u1' });
    expect(claims.exp! - claims.iat!).toBe(1800);
  }, 30_000);
});

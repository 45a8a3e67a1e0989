// npm run demo:reset removes the cities' demo databases so npm start seeds
// them afresh, and refuses while a city process holds one.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dataRoot: string;
afterEach(() => rmSync(dataRoot, { recursive: true, force: true }));

function reset(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(root, 'node_modules/.bin/tsx'),
      ['scripts/demo-reset.ts'],
      { cwd: root, env: { ...process.env, DATA_ROOT: dataRoot } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function demoDatabase(code: string): string {
  const dir = join(dataRoot, 'cities', code, 'pgdata');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'PG_VERSION'), '17');
  return dir;
}

describe('npm run demo:reset', () => {
  it('removes every city’s demo database, keeping the keys', async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'demo-reset-'));
    const dirs = ['0180', '1480', '1280'].map(demoDatabase);
    mkdirSync(join(dataRoot, 'keys'));

    const { code, stdout } = await reset();

    expect(code).toBe(0);
    expect(stdout).toMatch(/Demo data removed for Stockholm \(0180\), Göteborg \(1480\), Malmö \(1280\)/);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(dataRoot, 'keys'))).toBe(true);
  }, 30_000);

  it('refuses while a running process holds a city’s database', async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'demo-reset-'));
    const dir = demoDatabase('0180');
    writeFileSync(`${dir}.lock`, String(process.pid));

    const { code, stderr } = await reset();

    expect(code).toBe(1);
    expect(stderr).toContain(`Database is in use by process ${process.pid}`);
    expect(existsSync(dir)).toBe(true);
  }, 30_000);
});

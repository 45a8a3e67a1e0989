// Runs a bench gateway as its own process (like the network's processes), so
// it gets a core of its own rather than sharing the load generator's.
import { fork, type ChildProcess } from 'node:child_process';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, DIST_DIR } from '../scripts/build';

export interface Child {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Starts `script` (relative to bench/) from a bundle, as the network starts ours: no TypeScript loader in any gateway measured. */
export async function startChild(
  script: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Child> {
  const source = relative(root, fileURLToPath(new URL(script, import.meta.url)));
  const name = `bench-${basename(source, '.ts')}.mjs`;
  await bundle({ [name]: source });
  const child: ChildProcess = fork(join(DIST_DIR, name), [], {
    cwd: root,
    env: { ...process.env, ...env },
    execArgv: ['--enable-source-maps'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${script} ${why}:\n${tail.join('\n')}`));
    };
    const timer = setTimeout(() => fail('did not start in time'), timeoutMs);
    child.once('exit', (code) => fail(`exited (${code}) before it was ready`));
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type !== 'ready' || !message.url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ url: message.url, pid: child.pid, stop });
    });
  });
}

// Runs a bench gateway as its own process (like the network's processes), so
// it gets a core of its own rather than sharing the load generator's.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Child {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

export function startChild(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Child> {
  const child: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    cwd: root,
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx'],
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

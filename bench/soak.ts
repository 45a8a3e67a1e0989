// npm run bench -- --soak [--soak-minutes 10]: row 5 (the three-city list with
// costs) paced at half its measured capacity for ten minutes. Each minute
// prints its latency, errors and every process's resident memory; the run
// passes when memory stays flat (the last three minutes under 10 % above the first),
// every minute's p99 stays within 1.5× the first minute's, and nothing fails.
import { cpus } from 'node:os';
import type { BenchNetwork } from './benchNetwork';
import { load, paced, type LoadResult } from './load';
import { rssMiB, writeRun } from './measure';
import type { BenchOptions } from './options';
import { body, LIST } from './queries';
import { formatChecks, type Check } from './table';

interface Minute extends LoadResult {
  minute: number;
  rssMiB: Record<string, number | null>;
}

const PAGE = 20;

export async function soak(
  bench: BenchNetwork,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<boolean> {
  const startedAt = new Date();
  if (bench.database === 'postgres') await bench.grow(options.sizes[0]!);
  const target = () => bench.viaGateway(bench.network.gatewayUrl, body(LIST, { first: PAGE }));
  const processes = new Map<string, number | undefined>([
    ['gateway', bench.network.gateway.child.pid],
    ...[...bench.network.cities].map(
      ([code, city]) => [code, city.child.pid] as [string, number | undefined],
    ),
  ]);
  const memory = () => Object.fromEntries([...processes].map(([name, pid]) => [name, rssMiB(pid)]));

  log('row 5 capacity');
  const capacity = await load(await target(), options);
  const rate = Math.max(1, Math.round(capacity.rps / 2));
  log(`soaking at ${rate} req/s (half of ${capacity.rps.toFixed(0)}) for ${options.soakMinutes} min`);
  const minutes: Minute[] = [];
  for (let minute = 1; minute <= options.soakMinutes; minute++) {
    // A token per minute: the run outlives none.
    const result = await paced(await target(), { rate, durationSec: 60 });
    minutes.push({ minute, ...result, rssMiB: memory() });
    const m = minutes.at(-1)!;
    log(
      `minute ${minute}: p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, failures ${m.failures}, RSS ` +
        [...processes.keys()].map((name) => `${name} ${m.rssMiB[name]?.toFixed(0) ?? '—'}`).join(' '),
    );
  }

  const first = minutes[0]!;
  const checks: Check[] = [];
  // A leak is a trend: the last three minutes against the first. One collection's
  // peak between them is shown, not judged.
  const last = minutes.slice(-3);
  for (const name of processes.keys()) {
    const base = first.rssMiB[name];
    const end = last.reduce((sum, m) => sum + (m.rssMiB[name] ?? 0), 0) / last.length;
    const most = Math.max(...minutes.map((m) => m.rssMiB[name] ?? 0));
    checks.push({
      name: `${name} RSS grows under 10 % from the first minute to the last three`,
      pass: base ? end <= 1.1 * base : null,
      detail: base
        ? `${base.toFixed(0)} → ${end.toFixed(0)} MiB (${((end / base - 1) * 100).toFixed(1)} %; the most seen ${most.toFixed(0)} MiB)`
        : 'unreadable',
    });
  }
  const worst = minutes.reduce((a, b) => (b.p99 > a.p99 ? b : a));
  checks.push({
    name: 'every minute’s p99 within 1.5× the first minute’s',
    pass: worst.p99 <= 1.5 * first.p99,
    detail: `first ${first.p99.toFixed(1)} ms, worst ${worst.p99.toFixed(1)} ms (minute ${worst.minute}, ${(worst.p99 / first.p99).toFixed(2)}×)`,
  });
  const failures = minutes.reduce((sum, m) => sum + m.failures, 0);
  checks.push({
    name: 'no errors',
    pass: failures === 0,
    detail: `${failures} failed of ${minutes.reduce((s, m) => s + m.requests, 0)}`,
  });

  console.log(
    `\nAvhoppare soak — row 5 (three-city list first ${PAGE} + costs) at ${rate} req/s, half of ${capacity.rps.toFixed(0)} req/s ` +
      `at ${options.connections} connections; ${options.soakMinutes} min, ${cpus().length} CPUs, Node ${process.version}, ` +
      `cities on ${bench.database}${bench.production ? ' (production mode)' : ''}\n`,
  );
  const names = [...processes.keys()];
  const header = ['min', 'p50 ms', 'p99 ms', 'requests', 'fail', ...names.map((n) => `RSS ${n}`)];
  const lines = minutes.map((m) => [
    String(m.minute),
    m.p50.toFixed(1),
    m.p99.toFixed(1),
    String(m.requests),
    String(m.failures),
    ...names.map((n) => m.rssMiB[n]?.toFixed(0) ?? '—'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  console.log(
    [header, ...lines].map((cells) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ')).join('\n'),
  );
  console.log(`\n${formatChecks(checks)}`);

  if (options.resultsDir) {
    const file = writeRun(options.resultsDir, 'soak-', startedAt, {
      database: bench.database,
      production: bench.production,
      capacityRps: capacity.rps,
      rate,
      minutes,
      checks,
    });
    console.log(`\nwrote ${file}`);
  }
  return checks.every((c) => c.pass !== false);
}

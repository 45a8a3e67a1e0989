// npm run bench -- --profile: where the time goes. Every process of the network
// runs with `node --cpu-prof`; row 2 (one assignment through our gateway) and
// row 5 (the three-city list) are each loaded for `--duration` seconds, and
// each process's samples inside each run are summed by package (self time).
// V8's sample times and process.hrtime both read the monotonic clock, so the
// bench's own start and end of a run cut the same window from every profile.
// The profiles are kept for a closer look, function by function.
// Written here: no maintained package summarises a .cpuprofile as text.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchNetwork } from './benchNetwork';
import { load } from './load';
import type { BenchOptions } from './options';
import { body, LIST, SINGLE } from './queries';

/** The parts of a V8 CPU profile (Chrome DevTools protocol, Profiler.Profile) read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

interface Window {
  name: string;
  fromUs: number;
  toUs: number;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Where a frame's code lives: an npm package, a folder of this project, or V8's own entries. */
export function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const inPackages = url.split('node_modules/');
  if (inPackages.length > 1) {
    const [first, second] = inPackages.at(-1)!.split('/');
    return first!.startsWith('@') ? `${first}/${second}` : first!;
  }
  if (url.startsWith('node:')) return 'node (built-in)';
  const local = url.replace(/^file:\/\//, '').split('/');
  const root = local.findIndex((part) => ['gateway', 'subgraphs', 'schema', 'runtime'].includes(part));
  return root >= 0 ? `${local[root]}/${local[root + 1]}` : url;
}

/** Self time inside the window by place, as shares of the window's samples, largest first. */
export function selfTimeByPlace(profile: CpuProfile, window: Window): { place: string; share: number }[] {
  const placeOfNode = new Map(
    profile.nodes.map((n) => [n.id, placeOf(n.callFrame.url, n.callFrame.functionName)]),
  );
  const totals = new Map<string, number>();
  let at = profile.startTime;
  let all = 0;
  profile.samples.forEach((node, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < window.fromUs || at > window.toUs) return;
    const place = placeOfNode.get(node) ?? '?';
    totals.set(place, (totals.get(place) ?? 0) + delta);
    all += delta;
  });
  return [...totals]
    .map(([place, us]) => ({ place, share: all > 0 ? us / all : 0 }))
    .sort((a, b) => b.share - a.share);
}

export async function profile(options: BenchOptions, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-profile-'));
  const bench = await startBenchNetwork({
    db: options.db,
    shareReads: options.shareReads,
    log,
    cpuProfileDir: dir,
  });
  const names = new Map<number, string>([[bench.network.gateway.child.pid!, 'gateway']]);
  for (const [code, city] of bench.network.cities) names.set(city.child.pid!, `city ${code}`);
  const windows: Window[] = [];
  try {
    if (bench.database === 'postgres') await bench.grow(options.sizes[0]!);
    const url = bench.network.gatewayUrl;
    for (const [name, payload] of [
      ['row 2: assignment(id) through our gateway', body(SINGLE, { id: bench.singleId })],
      ['row 5: the three-city list with costs', body(LIST, { first: 20 })],
    ] as const) {
      log(`${name}: loaded ${options.durationSec} s, profiled`);
      const target = await bench.viaGateway(url, payload);
      await load(target, { ...options, durationSec: options.warmupSec, warmupSec: 0 });
      const fromUs = nowUs();
      const result = await load(target, { ...options, warmupSec: 0 });
      windows.push({ name: `${name} (${result.rps.toFixed(0)} req/s)`, fromUs, toUs: nowUs() });
    }
  } finally {
    await bench.stop();
  }
  // The main thread's profile of each process; the others are the loader's worker threads.
  for (const window of windows) {
    console.log(`\n${window.name}: self time by place, share of each process's samples in the run`);
    for (const file of readdirSync(dir).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f))) {
      const pid = Number(file.split('.')[3]);
      const name = names.get(pid);
      if (!name) continue;
      const places = selfTimeByPlace(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, window);
      const shown = places
        .slice(0, 10)
        .map((p) => `${p.place} ${(p.share * 100).toFixed(1)}%`)
        .join(', ');
      console.log(`  ${name.padEnd(10)} ${shown}`);
    }
  }
  console.log(`\nThe profiles are kept in ${dir} (open one in Chrome DevTools or speedscope).`);
}

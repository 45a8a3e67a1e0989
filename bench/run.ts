// npm run bench [-- --quick] [--duration S] [--connections N] [--sizes 1000,10000,100000] [--db auto|postgres|pglite]
// Starts a seeded network in a temporary directory, drives each path with
// autocannon and prints one table (see bench/results/README.md), then the
// targets as PASS/FAIL lines. Writes the run to bench/results/<timestamp>.json.
import { cpus } from 'node:os';
import { CODES, startBenchNetwork, type BenchNetwork } from './benchNetwork';
import { startChild, type Child } from './children';
import {
  load,
  loadInTurn,
  medianRatio,
  paced,
  pacedInTurn,
  type LoadTarget,
  type RoundsResult,
} from './load';
import { rssMiB, sqlSnapshot, writeRun } from './measure';
import { readOptions } from './options';
import { profile } from './profile';
import { body, CALLER, CITY_LIST, LIST, persisted, SINGLE } from './queries';
import { cursorAt } from './seed';
import { soak } from './soak';
import {
  formatChecks,
  formatPaired,
  formatRounds,
  formatTable,
  type Check,
  type Paired,
  type Row,
} from './table';

const PAGE = 20;
/** More requests a second than any path answers here: principals signed ahead for a loaded run. */
const MOST_RPS = 5000;

const options = readOptions();
const startedAt = new Date();
const cleanups: (() => Promise<unknown>)[] = [];
const cleanup = async () => {
  for (const step of cleanups.reverse()) await step().catch(() => {});
  cleanups.length = 0;
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

const log = (line: string) => console.error(`[bench] ${line}`);

interface Target {
  label: string;
  /** Built right before use, for at most `requests` requests: direct calls carry principals used once. */
  target: (requests: number) => Promise<LoadTarget>;
  /** Checks one answer's data; a failed check stops the bench. */
  expect: (data: Record<string, unknown>) => string | null;
  pid?: () => number | undefined;
}

async function post(target: LoadTarget): Promise<Record<string, unknown>> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers, ...target.headersEach?.() },
    body: target.body,
  });
  const text = await response.text();
  let json: { data?: Record<string, unknown>; errors?: unknown[] };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new Error(`${target.url} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
  if (!response.ok || json.errors?.length || !json.data)
    throw new Error(`${target.url} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
  return json.data;
}

/**
 * `count` sequential requests, each checked, three times over: SQL statements
 * per request and city (counter deltas divided by count, the least of the
 * three, so a city's own timers, such as its look for a due log checkpoint,
 * do not count) and the latency with nothing else running.
 */
async function probe(
  spec: Target,
  count: number,
): Promise<{ sql: Record<string, number>; sequentialP50: number }> {
  const times: number[] = [];
  const sql = Object.fromEntries(CODES.map((c) => [c, Number.POSITIVE_INFINITY]));
  for (let repeat = 0; repeat < 3; repeat++) {
    const target = await spec.target(count);
    const { counters: before, scrape } = await settled();
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      const problem = spec.expect(await post(target));
      times.push(performance.now() - start);
      if (problem) throw new Error(`${spec.label}: ${problem}`);
    }
    const after = await sqlSnapshot(cityUrls(), bench.metricsToken);
    for (const c of CODES)
      sql[c] = Math.min(sql[c]!, (after.get(c)! - before.get(c)! - scrape.get(c)!) / count);
  }
  times.sort((a, b) => a - b);
  return { sql, sequentialP50: times[Math.floor((times.length - 1) / 2)]! };
}

/**
 * Counters once only the reading moves them: requests of a load run still in
 * flight must not count. Reading /metrics runs a city's gauges' own queries
 * (the outbox backlog, overdue proposals); `scrape` is what one reading adds,
 * seen as two readings in a row adding the same.
 */
async function settled(): Promise<{ counters: Map<string, number>; scrape: Map<string, number> }> {
  const read = () => sqlSnapshot(cityUrls(), bench.metricsToken);
  let last = await read();
  let lastDelta: Map<string, number> | null = null;
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await read();
    const delta = new Map(CODES.map((c) => [c, now.get(c)! - last.get(c)!]));
    if (lastDelta && CODES.every((c) => delta.get(c) === lastDelta!.get(c)))
      return { counters: now, scrape: delta };
    [last, lastDelta] = [now, delta];
  }
  throw new Error('The cities kept sending SQL with no requests running');
}

const rows: Row[] = [];
const specs = new Map<string, Target>();
async function measure(key: string, spec: Target, database: string): Promise<Row> {
  log(`${key} ${spec.label}`);
  specs.set(key, spec);
  const problem = spec.expect(await post(await spec.target(1)));
  if (problem) throw new Error(`${spec.label}: ${problem}`);
  const result = await load(await spec.target(MOST_RPS * (options.warmupSec + options.durationSec)), options);
  const gatewayRssMiB = spec.pid ? rssMiB(spec.pid()) : null;
  // Twice as long as the loaded run: at a light rate the samples are few.
  const light = await paced(await spec.target(Math.ceil(options.rate * 2 * options.durationSec) + 1), {
    rate: options.rate,
    durationSec: 2 * options.durationSec,
  });
  const { sql, sequentialP50 } = await probe(spec, options.probeRequests);
  const direct = rows.find((r) => r.key === '1');
  const row: Row = {
    key,
    label: spec.label,
    database,
    requests: result.requests,
    rps: result.rps,
    p50: result.p50,
    p95: result.p95,
    p99: result.p99,
    failures: result.failures,
    paced: { ...light, rate: options.rate },
    gatewayRssMiB,
    sqlPerRequest: sql,
    sequentialP50,
    pacedP50VsDirect: direct ? light.p50 / direct.paced.p50 : key === '1' ? 1 : null,
    p50VsDirect: direct ? result.p50 / direct.p50 : key === '1' ? 1 : null,
    rpsVsDirect: direct ? result.rps / direct.rps : key === '1' ? 1 : null,
  };
  rows.push(row);
  return row;
}

/**
 * Rows compared by a latency target, paced again taking turns on one
 * schedule (so all see the same moments of the machine), each for about the
 * samples of a row's own paced run; under a minute, the life of a principal.
 */
async function inTurn(keys: string[]): Promise<Paired[]> {
  log(`${keys.join(', ')} in turn`);
  // Under 30 s: a city takes a principal for 30 s, and the direct rows' are signed before the run.
  const durationSec = Math.min(25, keys.length * options.durationSec);
  const each = Math.ceil((options.rate * durationSec) / keys.length) + 1;
  const targets = await Promise.all(keys.map((key) => specs.get(key)!.target(each)));
  const results = await pacedInTurn(targets, { rate: options.rate, durationSec });
  return results.map((result, i) => ({ key: keys[i]!, label: specs.get(keys[i]!)!.label, ...result }));
}

const listExpect =
  (size: number) =>
  (data: Record<string, unknown>): string | null => {
    const edges = (data.assignments as { edges?: unknown[] } | undefined)?.edges ?? [];
    return edges.length >= size ? null : `expected ${size} edges, got ${edges.length}`;
  };

if (options.profile) {
  await profile(options, log);
  process.exit(0);
}

let bench: BenchNetwork;
const cityUrls = () => new Map(CODES.map((code) => [code, bench.cityUrl(code)]));
try {
  bench = await startBenchNetwork({ db: options.db, shareReads: options.shareReads, log });
  cleanups.push(() => bench.stop());
  if (options.soak) {
    const passed = await soak(bench, options, log);
    await cleanup();
    process.exit(passed ? 0 : 1);
  }
  const { database, network } = bench;
  const usePostgres = database === 'postgres';
  const gatewayPid = () => network.gateway.child.pid;
  const viaGateway = (url: string, payload: string) => () => bench.viaGateway(url, payload);
  const direct = bench.direct;
  if (usePostgres) await bench.grow(options.sizes[0]!);
  const listSize = usePostgres ? PAGE : 1;

  // 1-4: one assignment of one city, by four paths.
  const SINGLE_ID = bench.singleId;
  const singleExpect = (data: Record<string, unknown>) =>
    (data.assignment as { id?: string } | null)?.id === SINGLE_ID ? null : 'the assignment did not come back';
  const single = body(SINGLE, { id: SINGLE_ID });
  const row1 = await measure(
    '1',
    {
      label: `direct: ${CALLER} casework assignment(id)`,
      target: direct(CALLER, single),
      expect: singleExpect,
    },
    database,
  );
  const childEnv = {
    // The peer gateways run in the mode ours does.
    NODE_ENV: bench.production ? 'production' : 'development',
    BENCH_CITY: CALLER,
    BENCH_CASEWORK_URL: `${bench.cityUrl(CALLER)}/casework/graphql`,
    KEYS_DIR: bench.keysDir,
    NETWORK_FILE: bench.networkFile,
  };
  // The bare forwarder and the peer gateways stay up for the rounds that compare them with ours.
  const startKept = async (script: string): Promise<Child> => {
    const child = await startChild(script, childEnv);
    cleanups.push(() => child.stop());
    return child;
  };
  // 1h: row 1 through a bare forwarder, the floor of one extra hop on this machine.
  const forwarder = await startKept('./gateways/forwarder.ts');
  const viaForwarder = async (requests: number) => ({
    ...(await direct(CALLER, single)(requests)),
    url: forwarder.url,
  });
  await measure(
    '1h',
    {
      label: `bare HTTP forwarder to ${CALLER} (one extra hop)`,
      target: viaForwarder,
      expect: singleExpect,
      pid: () => forwarder.pid,
    },
    database,
  );
  const row2 = await measure(
    '2',
    {
      label: 'our gateway: assignment(id)',
      target: viaGateway(network.gatewayUrl, single),
      expect: singleExpect,
      pid: gatewayPid,
    },
    database,
  );
  // 2p: the same query as a persisted query, the text sent once and then only its hash.
  const apq = persisted(SINGLE, { id: SINGLE_ID });
  await measure(
    '2p',
    {
      label: 'our gateway: assignment(id), persisted query',
      target: async () => {
        await post(await bench.viaGateway(network.gatewayUrl, apq.register));
        return bench.viaGateway(network.gatewayUrl, apq.hashOnly);
      },
      expect: singleExpect,
      pid: gatewayPid,
    },
    database,
  );
  const pairedSingle = await inTurn(['1', '1h', '2']);
  // 3, 4: the peer gateways on a one-city supergraph, each kept for the rounds.
  const peer = async (key: string, label: string, script: string) => {
    const child = await startKept(script);
    const row = await measure(
      key,
      { label, target: viaGateway(child.url, single), expect: singleExpect, pid: () => child.pid },
      database,
    );
    return { child, row };
  };
  const { child: apollo, row: row3 } = await peer(
    '3',
    '@apollo/gateway (1-city supergraph)',
    './gateways/apollo.ts',
  );
  const { child: hive, row: row4 } = await peer(
    '4',
    'Hive Gateway (1-city supergraph)',
    './gateways/hive.ts',
  );
  // Throughput of the single-city paths in rounds taking turns: the machine's drift lands on all alike.
  const ROUND_KEYS = ['1', '1h', '2', '3', '4'];
  log(`${ROUND_KEYS.join(', ')}: throughput in ${options.rounds} rounds taking turns`);
  const roundPids = [undefined, forwarder.pid, gatewayPid(), apollo.pid, hive.pid];
  const rounds: RoundsResult = await loadInTurn(
    ROUND_KEYS.map((key) => (seconds: number) => specs.get(key)!.target(MOST_RPS * seconds)),
    {
      connections: options.connections,
      durationSec: options.roundSec,
      warmupSec: options.warmupSec,
      rounds: options.rounds,
    },
    (index) => rssMiB(roundPids[index]),
  );
  await Promise.all([forwarder.stop(), apollo.stop(), hive.stop()]);

  // 5: the three-city list with costs, and each city's leg of it called directly.
  const list = (after?: string, first = PAGE) => body(LIST, { first, after });
  const listTarget = (payload: string, size: number): Target => ({
    label: '',
    target: viaGateway(network.gatewayUrl, payload),
    expect: listExpect(size),
    pid: gatewayPid,
  });
  const row5 = await measure(
    '5',
    {
      ...listTarget(list(), listSize),
      label: `our gateway: 3-city list first ${PAGE} + costs (${bench.seeded()}/city)`,
    },
    database,
  );
  const legs: Row[] = [];
  for (const code of CODES) {
    legs.push(
      await measure(
        `5${'abc'[legs.length]}`,
        {
          label: `direct: ${code} casework list first ${PAGE} (as ${CALLER})`,
          target: direct(code, body(CITY_LIST, { first: PAGE })),
          expect: listExpect(usePostgres ? PAGE : 0),
        },
        database,
      ),
    );
  }
  const pairedList = await inTurn(['5', ...legs.map((r) => r.key)]);
  log('SQL per request at first: 10 and first: 50');
  const { sql: sqlFirst10 } = await probe(
    { ...listTarget(list(undefined, 10), usePostgres ? 10 : 1), label: 'first 10' },
    options.probeRequests,
  );
  const { sql: sqlFirst50 } = await probe(
    { ...listTarget(list(undefined, 50), usePostgres ? 50 : 1), label: 'first 50' },
    options.probeRequests,
  );

  // 6: the same list at a deep cursor (90% into Stockholm's own list), growing the data.
  const deep: Row[] = [];
  if (usePostgres) {
    for (const size of options.sizes) {
      await bench.grow(size);
      const after = await cursorAt(bench.cityDbs[0]!, Math.floor(size * 0.9));
      deep.push(
        await measure(
          `6${'abcdefgh'[deep.length] ?? deep.length}`,
          { ...listTarget(list(after), PAGE), label: `our gateway: list at deep cursor, ${size}/city` },
          database,
        ),
      );
    }
  } else {
    log('deep-cursor rows need PostgreSQL (seeded with SQL straight into each city database); skipped');
  }

  const checks: Check[] = [];
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const light = `at ${options.rate} req/s`;
  const loaded = `at ${options.connections} connections`;
  const inTurnOf = (paired: Paired[], key: string) => paired.find((p) => p.key === key)!;
  const [p1, p1h, p2] = ['1', '1h', '2'].map((key) => inTurnOf(pairedSingle, key)) as [
    Paired,
    Paired,
    Paired,
  ];
  // Target 1: close to the floor of one extra hop.
  const overhead = p2.p50 - p1h.p50;
  checks.push({
    name: `row 2 p50 − row 1h p50 (the bare forwarder) ≤ 0.4 ms (${light}, in turn)`,
    pass: overhead <= 0.4,
    detail: `${p2.p50.toFixed(2)} − ${p1h.p50.toFixed(2)} ms = ${overhead.toFixed(2)} ms (row 1 ${p1.p50.toFixed(2)} ms; the hop alone ${(p1h.p50 - p1.p50).toFixed(2)} ms)`,
  });
  const [direct1, hop, ours, apolloGw, hiveGw] = [0, 1, 2, 3, 4];
  const roundRatio = (a: number, b: number) => {
    const r = medianRatio(rounds, a, b);
    return { ...r, text: `median ${r.median.toFixed(2)}× (rounds ${r.min.toFixed(2)}–${r.max.toFixed(2)}×)` };
  };
  const vsForwarder = roundRatio(ours, hop);
  checks.push({
    name: `row 2 req/s ≥ 0.8× row 1h, the bare forwarder (${loaded}, ${options.rounds} rounds in turn)`,
    pass: vsForwarder.median >= 0.8,
    detail: `${vsForwarder.text}; row 1h ÷ row 1 ${roundRatio(hop, direct1).text}`,
  });
  // Target 2: ahead of the peers.
  for (const [index, name] of [
    [apolloGw, 'row 3, @apollo/gateway'],
    [hiveGw, 'row 4, Hive Gateway'],
  ] as const) {
    const r = roundRatio(ours, index);
    // The most any gateway making the same hop could reach on this machine.
    const ceiling = roundRatio(hop, index);
    checks.push({
      name: `row 2 req/s ≥ 1.5× ${name} (${loaded}, ${options.rounds} rounds in turn)`,
      pass: r.median >= 1.5,
      detail: `${r.text}; the bare forwarder itself ${ceiling.text}`,
    });
  }
  const rss = (index: number) => `${rounds.rssMiB[index]?.toFixed(0) ?? '—'} MiB`;
  checks.push({
    name: 'gateway RSS under load (largest seen in the rounds)',
    pass: null,
    detail: `ours ${rss(ours)}, @apollo/gateway ${rss(apolloGw)}, Hive Gateway ${rss(hiveGw)}, forwarder ${rss(hop)}`,
  });
  checks.push({
    name: `row 2 p50 ÷ row 1 ${loaded}`,
    pass: null,
    detail: `${row2.p50.toFixed(2)} ms vs ${row1.p50.toFixed(2)} ms (${ratio(row2.p50, row1.p50)}; both saturate the CPUs, so this is the ratio of CPU per request)`,
  });
  checks.push({
    name: `one run after another ${loaded}, for comparison: row 2 ÷ row 3, row 2 ÷ row 4`,
    pass: null,
    detail: `${ratio(row2.rps, row3.rps)}, ${ratio(row2.rps, row4.rps)}`,
  });
  const p5 = inTurnOf(pairedList, '5');
  const slowestOf = (group: Row[]) =>
    group.map((r) => inTurnOf(pairedList, r.key)).reduce((a, b) => (b.p50 > a.p50 ? b : a));
  const slowList = slowestOf(legs);
  // Target 3: a list in one step.
  checks.push({
    name: `row 5 p50 ≤ 1.3× the slowest single-city list call (${light}, in turn)`,
    pass: p5.p50 <= 1.3 * slowList.p50,
    detail: `${p5.p50.toFixed(2)} ms vs ${slowList.p50.toFixed(2)} ms (${slowList.key}; ${ratio(p5.p50, slowList.p50)})`,
  });
  // Row 5 is one step: each home city answers its rows' costs as the receiving city reported them.
  const legsTogether = legs.reduce((sum, r) => sum + inTurnOf(pairedList, r.key).p50, 0);
  checks.push({
    name: `row 5 p50 ÷ the three list legs' p50 added up (${light}, in turn): what two cores allow when the legs cannot all run at once`,
    pass: null,
    detail: `${p5.p50.toFixed(2)} ms vs ${legsTogether.toFixed(2)} ms (${ratio(p5.p50, legsTogether)})`,
  });
  const slowest = (pick: (r: Row) => number) => legs.reduce((a, b) => (pick(b) > pick(a) ? b : a));
  const slowLoaded = slowest((r) => r.p50);
  checks.push({
    name: `row 5 p50 ÷ the slowest single-city list call ${loaded}`,
    pass: null,
    detail: `${row5.p50.toFixed(2)} ms vs ${slowLoaded.p50.toFixed(2)} ms (${slowLoaded.key}; ${ratio(row5.p50, slowLoaded.p50)})`,
  });
  // An N+1 shows as whole statements per row (tens more at 50 rows); a fraction is a city's own timer.
  const sameSql = (a: Record<string, number>, b: Record<string, number>) =>
    CODES.every((c) => Math.abs(a[c]! - b[c]!) < 0.5);
  const showSql = (s: Record<string, number>) => CODES.map((c) => `${c}:${s[c]!.toFixed(1)}`).join(' ');
  checks.push({
    name: 'SQL per city per request constant in page size (first 10 vs 50)',
    pass: sameSql(sqlFirst10, sqlFirst50),
    detail: `first 10 → ${showSql(sqlFirst10)}; first 50 → ${showSql(sqlFirst50)}`,
  });
  if (deep.length > 0) {
    checks.push({
      name: 'SQL per city per request constant in data size (row 5 and row 6)',
      pass: deep.every((r) => sameSql(r.sqlPerRequest, row5.sqlPerRequest)),
      detail: [row5, ...deep].map((r) => `${r.key} → ${showSql(r.sqlPerRequest)}`).join('; '),
    });
    const first = deep[0]!;
    const last = deep.at(-1)!;
    // Flat both ways: in CPU per request (loaded) and in latency (paced).
    const show = (pick: (r: Row) => number) =>
      deep.map((r) => `${r.key}: ${pick(r).toFixed(2)} ms`).join(', ') +
      ` (${ratio(pick(last), pick(first))})`;
    checks.push({
      name: `row 6 p50 flat from ${options.sizes[0]} to ${options.sizes.at(-1)} per city (≤ 1.2×)`,
      pass: last.p50 <= 1.2 * first.p50 && last.paced.p50 <= 1.2 * first.paced.p50,
      detail: `${loaded}: ${show((r) => r.p50)}; ${light}: ${show((r) => r.paced.p50)}`,
    });
  }
  const failed = [
    ...rows.map((r) => ({ key: r.key, failures: r.failures + r.paced.failures })),
    ...[...pairedSingle, ...pairedList].map((p) => ({ key: `${p.key} in turn`, failures: p.failures })),
    ...ROUND_KEYS.map((key, i) => ({ key: `${key} in rounds`, failures: rounds.failures[i]! })),
  ].filter((r) => r.failures > 0);
  checks.push({
    name: 'every request answered without errors',
    pass: failed.length === 0,
    detail: failed.length === 0 ? 'yes' : failed.map((r) => `${r.key}: ${r.failures}`).join(', '),
  });

  console.log(
    `\nAvhoppare bench — ${options.durationSec} s per row after ${options.warmupSec} s warm-up, ` +
      `${options.connections} connections, then ${2 * options.durationSec} s at ${options.rate} req/s, ` +
      `${cpus().length} CPUs, Node ${process.version}, ` +
      `cities on ${database}, caller ${CALLER}\n`,
  );
  console.log(formatTable(rows, CODES, options.connections));
  console.log(
    `\nThe rows the latency targets compare, paced again taking turns on one schedule (${options.rate} req/s in all):\n`,
  );
  console.log(formatPaired([pairedSingle, pairedList]));
  console.log(
    `\nThroughput (req/s ${loaded}) in ${options.rounds} rounds of ${options.roundSec} s taking turns, the order rotated each round:\n`,
  );
  console.log(
    formatRounds(
      rounds,
      ROUND_KEYS,
      ROUND_KEYS.map((key) => specs.get(key)!.label),
    ),
  );
  console.log('');
  console.log(formatChecks(checks));

  if (options.resultsDir) {
    const file = writeRun(options.resultsDir, '', startedAt, {
      options,
      database,
      caller: CALLER,
      cities: CODES,
      rows,
      sqlPerRequestByPageSize: { first10: sqlFirst10, first50: sqlFirst50 },
      production: bench.production,
      inTurn: { single: pairedSingle, list: pairedList },
      rounds: { keys: ROUND_KEYS, roundSec: options.roundSec, ...rounds },
      checks,
    });
    console.log(`\nwrote ${file}`);
  }
  await cleanup();
  process.exit(checks.every((c) => c.pass !== false) ? 0 : 1);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  await cleanup();
  process.exit(2);
}

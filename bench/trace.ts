// npm run trace: one request's trace across the network, printed as a tree.
// Starts the bench's network (production mode on seeded PostgreSQL where one
// answers, else PGlite with demo data) with tracing exported to an in-process
// OTLP receiver, sends the three-city list with costs as Stockholm, and prints
// every span of that one trace: the gateway's fetches, each city's request
// under it and the SQL batches under those.
import { TRACE_ID_HEADER } from '../gateway/traceHeader';
import { exportingTo, startOtlpReceiver, type ReceivedSpan } from '../test/support/otlp';
import { startBenchNetwork } from './benchNetwork';
import { readOptions } from './options';
import { body, LIST } from './queries';

const options = readOptions();
const receiver = await startOtlpReceiver();
const bench = await startBenchNetwork({
  db: options.db,
  shareReads: options.shareReads,
  log: (line) => console.error(`[trace] ${line}`),
  env: exportingTo(receiver.url),
});
const { network } = bench;
try {
  if (bench.database === 'postgres') await bench.grow(options.sizes[0]!);
  const target = await bench.viaGateway(network.gatewayUrl, body(LIST, { first: 20 }));
  /** Sends the list; resolves to the trace id the gateway gave it (a client's own is not taken in production). */
  const send = async () => {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body: target.body,
    });
    const answer = (await response.json()) as { errors?: unknown[] };
    if (answer.errors) throw new Error(`The list answered with errors: ${JSON.stringify(answer.errors)}`);
    return response.headers.get(TRACE_ID_HEADER)!;
  };
  // Warm up, so the trace shows steady-state timings rather than first-call costs.
  for (let i = 0; i < 20; i++) await send();
  const traceId = await send();
  const services = ['avhoppare-gateway', ...[...network.cities.keys()].map((c) => `avhoppare-city-${c}`)];
  const ofTrace = (spans: ReceivedSpan[]) => spans.filter((s) => s.traceId === traceId);
  // Spans arrive in batches; wait until every process has sent its part and nothing more comes.
  let seen = 0;
  await receiver.waitFor((spans) => {
    const mine = ofTrace(spans);
    const complete = services.every((service) => mine.some((s) => s.service === service));
    const settled = complete && mine.length === seen;
    seen = mine.length;
    return settled;
  });
  const spans = ofTrace(receiver.spans).sort((a, b) => a.startMs - b.startMs);
  const start = spans[0]!.startMs;
  const ids = new Set(spans.map((s) => s.spanId));
  const childrenOf = (id: string | undefined) =>
    spans.filter((s) =>
      id === undefined ? !s.parentSpanId || !ids.has(s.parentSpanId) : s.parentSpanId === id,
    );
  const roots = childrenOf(undefined);
  console.log(`trace ${traceId}: ${spans.length} spans from ${services.join(', ')}`);
  console.log(`${roots.length === 1 ? 'one root span' : `${roots.length} root spans`}\n`);
  console.log('  start ms   took ms  span');
  const print = (span: ReceivedSpan, depth: number) => {
    const service = span.service.replace('avhoppare-', '');
    console.log(
      `${(span.startMs - start).toFixed(1).padStart(9)} ${(span.endMs - span.startMs).toFixed(2).padStart(9)}  ${'  '.repeat(depth)}${service}: ${span.name}`,
    );
    for (const child of childrenOf(span.spanId)) print(child, depth + 1);
  };
  for (const root of roots) print(root, 0);
} finally {
  await bench.stop();
  await receiver.close();
}

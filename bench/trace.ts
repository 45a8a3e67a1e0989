// npm run trace: one request's trace across the network, printed as a tree.
// Starts the three cities (PGlite, demo data) and the gateway with tracing
// exported to an in-process OTLP receiver, sends the three-city list with
// costs as Stockholm, and prints every span of that one trace: the gateway's
// fetches, each city's request under it and the SQL batches under those.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevToken } from '../gateway/auth/devIssuer';
import { PERMISSIONS } from '../schema/contract/permissions';
import { startNetwork } from '../scripts/network';
import { exportingTo, startOtlpReceiver, type ReceivedSpan } from '../test/support/otlp';
import { body, CALLER, LIST } from './queries';

const dir = mkdtempSync(join(tmpdir(), 'avhoppare-trace-'));
const receiver = await startOtlpReceiver();
const network = await startNetwork({
  cities: [
    { code: '0180', name: 'Stockholm' },
    { code: '1480', name: 'Göteborg' },
    { code: '1280', name: 'Malmö' },
  ],
  keysDir: join(dir, 'keys'),
  dataRoot: dir,
  demoData: true,
  production: true,
  env: exportingTo(receiver.url),
});
try {
  const token = await mintDevToken(join(dir, 'keys'), {
    municipality: CALLER,
    permissions: [...PERMISSIONS],
  });
  const send = async (traceparent?: string) => {
    const response = await fetch(network.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(traceparent ? { traceparent } : {}),
      },
      body: body(LIST, { first: 20 }),
    });
    const answer = (await response.json()) as { errors?: unknown[] };
    if (answer.errors) throw new Error(`The list answered with errors: ${JSON.stringify(answer.errors)}`);
  };
  // Warm up, so the trace shows steady-state timings rather than first-call costs.
  for (let i = 0; i < 20; i++) await send();
  const traceId = crypto.randomUUID().replaceAll('-', '');
  await send(`00-${traceId}-${crypto.randomUUID().replaceAll('-', '').slice(16)}-01`);
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
  await network.stop();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
}

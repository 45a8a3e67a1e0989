// A national network in one process: 50 municipalities (each a real city
// server with its own database: a PostgreSQL database each when the server at
// TEST_DATABASE_URL answers, else PGlite copied from one migrated template),
// then gateways over the first 3, 10 and 50 of them. Prints how many city calls one list request costs as the
// network grows. Stockholm exchanges assignments with Göteborg and Malmö
// only; the other municipalities exchange among themselves in a ring.
//
//   npm run bench:scale [-- --requests 20]
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mintDevToken } from '../gateway/auth/devIssuer';
import { readGatewayConfig } from '../gateway/config';
import { startGateway, type RunningGateway } from '../gateway/server';
import { devIssuerKeyFiles, gatewayKeyFiles } from '../runtime/keys';
import { formatId } from '../schema/contract/ids';
import { ensureKeyPair } from '../runtime/keys';
import { approvedBy, limit, type AgreementRecord } from '../schema/contract/agreements';
import type { CityConfig } from '../subgraphs/city';
import { readCityRuntimeConfig } from '../subgraphs/config';
import { openDatabase } from '../subgraphs/db/database';
import { applyMigrations } from '../subgraphs/db/migrate';
import { startCity, type RunningCity } from '../subgraphs/server';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '20' }, sizes: { type: 'string', default: '3,10,50' } },
});
const REQUESTS = Number(values.requests);
const SIZES = values.sizes.split(',').map(Number);
const LARGEST = Math.max(...SIZES);

const STOCKHOLM = '0180';
const CALLERS = [STOCKHOLM, '1480'];
/** Stockholm, Göteborg, Malmö, then codes of other municipalities (names are placeholders). */
const CODES = [
  STOCKHOLM,
  '1480',
  '1280',
  ...Array.from({ length: LARGEST - 3 }, (_, i) => String(2000 + i).padStart(4, '0')),
];

const LIST = /* GraphQL */ `
  query List {
    assignments(first: 20) {
      edges {
        node {
          id
          homeMunicipality
          receivingMunicipality
          status
        }
      }
    }
  }
`;

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Who sends to whom: the three big cities among themselves, the rest in a ring. */
function exchanges(): [string, string][] {
  const pairs: [string, string][] = [
    [STOCKHOLM, '1480'],
    [STOCKHOLM, '1280'],
    ['1480', STOCKHOLM],
    ['1280', STOCKHOLM],
    ['1480', '1280'],
  ];
  const ring = CODES.slice(3);
  ring.forEach((code, i) => pairs.push([code, ring[(i + 1) % ring.length]!]));
  return pairs;
}

function cityConfig(code: string, pairs: [string, string][]): CityConfig {
  const unitId = `u-${code}`;
  const day = '2026-01-15T09:00:00.000Z';
  const outgoing = pairs.flatMap(([home, receiving], n) =>
    home === code
      ? [{ id: formatId('asg', home, receiving, uuid(n)), caseId: `case-${code}-${n}`, receiving, n }]
      : [],
  );
  return {
    code,
    name: `Kommun ${code}`,
    port: 0,
    units: [{ id: unitId, name: 'Socialnämnden', kind: 'SOCIAL_BOARD' }],
    offers: [],
    caseAccess: { everyUnit: ['coordinator', 'auditor'] },
    demo: {
      cases: outgoing.map((o) => ({
        id: o.caseId,
        personName: 'Demo Testperson',
        personalIdentityNumber: '19000112-0021',
        unitId,
        openedAt: day,
      })),
      outgoing: outgoing.map((o) => ({
        id: o.id,
        caseId: o.caseId,
        status: 'ACCEPTED' as const,
        proposedAt: day,
        updatedAt: `2026-02-${String((o.n % 27) + 1).padStart(2, '0')}T09:00:00.000Z`,
        plans: [],
      })),
      incoming: pairs.flatMap(([home, receiving], n) =>
        receiving === code
          ? [
              {
                id: formatId('asg', home, receiving, uuid(n)),
                status: 'ACCEPTED' as const,
                receivedAt: day,
                updatedAt: day,
                agreedItems: [],
                costs: [],
              },
            ]
          : [],
      ),
    },
  };
}

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * One migrated database, copied for each city: migrating fifty databases one
 * by one would take most of the run. Returns the DATABASE_URL or DATA_DIR of
 * a city, and how to remove them all.
 */
async function databases(dir: string): Promise<{
  kind: string;
  forCity(code: string): Promise<Record<string, string>>;
  drop(): Promise<void>;
}> {
  const prefix = `scale_${randomBytes(4).toString('hex')}`;
  const urlOf = (name: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  const created: string[] = [];
  try {
    await admin(`CREATE DATABASE "${prefix}_template"`);
    created.push(`${prefix}_template`);
  } catch {
    const template = join(dir, 'pgdata', 'template');
    const db = await openDatabase({ kind: 'pglite', dataDir: template });
    await applyMigrations(db);
    await db.close();
    return {
      kind: 'PGlite (one data directory per city)',
      forCity: (code) => {
        cpSync(template, join(dir, 'pgdata', code), { recursive: true });
        return Promise.resolve({ DATA_DIR: join(dir, 'pgdata', code) });
      },
      drop: () => Promise.resolve(),
    };
  }
  const template = await openDatabase({ kind: 'postgres', url: urlOf(`${prefix}_template`) });
  await applyMigrations(template);
  await template.close();
  return {
    kind: `PostgreSQL (one database per city, ${new URL(ADMIN_URL).host})`,
    async forCity(code) {
      const name = `${prefix}_${code}`;
      await admin(`CREATE DATABASE "${name}" TEMPLATE "${prefix}_template"`);
      created.push(name);
      return { DATABASE_URL: urlOf(name) };
    },
    async drop() {
      for (const name of created)
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    },
  };
}

async function cityCalls(gateway: RunningGateway): Promise<number> {
  const text = await (await fetch(`${gateway.url.replace(/\/graphql$/, '')}/metrics`)).text();
  return [...text.matchAll(/^gateway_city_call_seconds_count\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-scale-'));
  const keysDir = join(dir, 'keys');
  const cities: RunningCity[] = [];
  const gateways: RunningGateway[] = [];
  const store = await databases(dir);
  try {
    await ensureKeyPair(gatewayKeyFiles(keysDir));
    const pairs = exchanges();
    const agreement: AgreementRecord = {
      id: 'national-2026',
      name: 'Nationell samverkan (simulering)',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      parties: CODES,
      approvals: approvedBy(CODES, '2025-12-01'),
      sendingQuota: limit(10),
      receivingQuota: limit(10),
      reconciliationPeriodMonths: 6,
      equalisationThreshold: '0.10',
      answerDeadlineWorkingDays: 5,
      minimumCellCount: 5,
    };
    const agreementsFile = join(dir, 'agreements.json');
    writeFileSync(agreementsFile, JSON.stringify([agreement]));
    const networkFile = join(dir, 'network.json');

    const started = performance.now();
    const urls = new Map<string, string>();
    for (const code of CODES) {
      await ensureKeyPair(devIssuerKeyFiles(keysDir, code));
      const configFile = join(dir, `${code}.city.json`);
      writeFileSync(configFile, JSON.stringify(cityConfig(code, pairs)));
      const config = await readCityRuntimeConfig({
        CITY_CONFIG: configFile,
        PORT: '0',
        KEYS_DIR: keysDir,
        ...(await store.forCity(code)),
        NETWORK_FILE: networkFile,
        AGREEMENTS_FILE: agreementsFile,
        DEMO_DATA: 'true',
        NODE_ENV: 'production',
      });
      const city = await startCity(config);
      cities.push(city);
      urls.set(code, city.url);
      process.stdout.write(`\rcities started: ${cities.length}/${CODES.length}`);
    }
    const startSeconds = (performance.now() - started) / 1000;
    console.log(` in ${startSeconds.toFixed(0)} s on ${store.kind}`);

    const rows: { municipalities: number; caller: string; callsPerRequest: number; rows: number }[] = [];
    for (const size of SIZES) {
      const members = CODES.slice(0, size);
      const file = join(dir, `network-${size}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          municipalities: members.map((code) => ({ code, name: `Kommun ${code}`, url: urls.get(code)! })),
        }),
      );
      const gateway = await startGateway(
        readGatewayConfig({
          PORT: '0',
          NETWORK_FILE: file,
          KEYS_DIR: keysDir,
          AGREEMENTS_FILE: agreementsFile,
          NODE_ENV: 'production',
        }),
      );
      gateways.push(gateway);
      for (const caller of CALLERS) {
        const token = await mintDevToken(keysDir, { municipality: caller, permissions: ['caseworker'] });
        const send = async () => {
          const response = await fetch(gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: LIST }),
          });
          const body = (await response.json()) as {
            data?: { assignments: { edges: unknown[] } };
            errors?: unknown[];
          };
          if (body.errors) throw new Error(`The list failed: ${JSON.stringify(body.errors)}`);
          return body.data!.assignments.edges.length;
        };
        await send();
        const before = await cityCalls(gateway);
        let listed = 0;
        for (let i = 0; i < REQUESTS; i++) listed = await send();
        const calls = (await cityCalls(gateway)) - before;
        rows.push({ municipalities: size, caller, callsPerRequest: calls / REQUESTS, rows: listed });
      }
    }

    console.log('\nCity calls per list request (assignments(first: 20), casework fields only)\n');
    console.log('municipalities  caller  city calls/request  rows listed  cities a full fan-out would ask');
    for (const row of rows) {
      console.log(
        `${String(row.municipalities).padStart(14)}  ${row.caller.padStart(6)}  ${row.callsPerRequest
          .toFixed(1)
          .padStart(18)}  ${String(row.rows).padStart(11)}  ${String(row.municipalities).padStart(31)}`,
      );
    }
    for (const caller of CALLERS) {
      const calls = rows.filter((r) => r.caller === caller).map((r) => r.callsPerRequest);
      const flat = calls.every((c) => c === calls[0]);
      console.log(`${flat ? 'PASS' : 'FAIL'} calls per request for ${caller} stay flat: ${calls.join(', ')}`);
      if (!flat) process.exitCode = 1;
    }
    const rss = process.memoryUsage().rss / 1024 / 1024;
    console.log(
      `\n${CODES.length} cities and ${gateways.length} gateways in one process, RSS ${rss.toFixed(0)} MiB`,
    );
  } finally {
    await Promise.allSettled(gateways.map((g) => g.stop()));
    await Promise.allSettled(cities.map((c) => c.stop()));
    await store.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

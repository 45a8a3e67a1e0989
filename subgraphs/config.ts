// The city process's configuration: read from the environment once, checked,
// and handed to the rest of the code as a typed object.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { devIssuer, USER_TOKEN_AUDIENCE } from '../schema/contract/identity';
import { readServerSettings, type ServerSettings } from '../runtime/environment';
import {
  DEFAULT_KEYS_DIR,
  devIssuerKeyFiles,
  gatewayKeyFiles,
  identityProviderOf,
  type IdentityProvider,
} from '../runtime/keys';
import { readNetwork, type NetworkConfig } from '../schema/contract/network';
import { cityConfigSchema, type CityConfig } from './city';
import { loadAgreements, type AgreementRecord } from '../schema/contract/agreements';
import type { DatabaseOptions } from './db/database';
import type { PeerLimits } from './peer/budget';

export interface CityRuntimeConfig {
  city: CityConfig;
  host: string;
  port: number;
  database: DatabaseOptions;
  /** JWKS of the gateway's principal-signing keys. */
  gatewayJwksFile: string;
  /** The city's own identity provider, for its internal API. */
  issuer: IdentityProvider;
  /** Whether ISSUER named the identity provider (rather than the network file or the dev default). */
  issuerFromEnvironment: boolean;
  seedDemoData: boolean;
  /** DEMO_DATA=true was asked for explicitly (production refuses it). */
  demoDataRequested: boolean;
  /** The network as it stood at start, when its file could be read then. */
  network?: NetworkConfig;
  /** TLS, people's tokens and metrics, as every server reads them. */
  server: ServerSettings;
  /** The owner's connection for migrations (PostgreSQL); the runtime role's own when absent. */
  databaseOwnerUrl?: string;
  /** When the city signs a checkpoint of its logs for the other cities. */
  checkpoints: { everyEntries: number; intervalMs: number };
  production: boolean;
  /** Stack traces in the city's error answers; never in production. */
  stacktraces: boolean;
  keysDir: string;
  /** The network (where the other cities answer); the demo network when absent. */
  networkFile?: string;
  agreements: readonly AgreementRecord[];
  /** Budget for one call to another city. */
  peerTimeoutMs: number;
  /** Longest wait between two attempts to deliver a message to another city. */
  peerRetryMaxMs: number;
  /** What each other city may ask, and make this one keep, a minute (peer/budget.ts). */
  peerLimits: PeerLimits;
  /** Most proposals from one city held unanswered at once. */
  openProposalsPerCity: number;
  /** How often the city compares what it shares with each other city, and repairs; 0 turns it off. */
  consistencyIntervalMs: number;
  /** Digest buckets each periodic consistency check covers, of 256. */
  consistencyBucketsPerCheck: number;
}

/**
 * Every variable a city process reads, with what it means: docs/operating.md's
 * table is generated from this schema (npm run docs). LOG_LEVEL and OTEL_*
 * are shared with the gateway (runtime/environment.ts).
 */
export const cityEnvironment = z.object({
  CITY: z
    .string()
    .regex(/^\d{4}$/)
    .optional()
    .meta({
      description:
        'Which city this process is: a folder under `subgraphs/cities/`. Set this or `CITY_CONFIG`.',
      kind: 'four-digit municipality code',
      whenUnset: '`CITY_CONFIG` is required',
    }),
  CITY_CONFIG: z.string().optional().meta({
    description:
      'A city configuration file (`defineCity` shape: code, name, port, units, offers) for a municipality without a folder; wins over `CITY`.',
    kind: '`.json` or `.ts` file path',
    whenUnset: '`CITY` is required',
  }),
  HOST: z.string().default('127.0.0.1').meta({
    description: 'Interface the city listens on; `0.0.0.0` for every interface.',
    kind: 'host name or address',
  }),
  PORT: z.coerce.number().int().min(0).max(65535).optional().meta({
    description: 'Port of every endpoint of the city; `0` picks a free one.',
    whenUnset: 'the `port` of the city’s configuration (4101, 4102, 4103)',
  }),
  DATABASE_URL: z.string().url().optional().meta({
    description:
      'The city’s own PostgreSQL database, as the runtime role: the role migrations grant only what the city needs (it may add to the logs and read them, never change them).',
    kind: '`postgresql://` URL',
    whenUnset: 'embedded PGlite in `DATA_DIR`',
  }),
  DATABASE_OWNER_URL: z.string().url().optional().meta({
    description:
      'The same database as the role that owns its tables: migrations run with it, then grant the `DATABASE_URL` role its rights. Required in production with PostgreSQL. PGlite has one user, so the separation applies to PostgreSQL only.',
    kind: '`postgresql://` URL',
    whenUnset: '`DATABASE_URL` (one role owns and uses the tables: demo and tests only)',
  }),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10).meta({
    description: 'Most PostgreSQL connections open at once (with `DATABASE_URL`).',
  }),
  DATA_DIR: z.string().optional().meta({
    description:
      'PGlite data directory (without `DATABASE_URL`). One process at a time: a lock file beside it names the holder.',
    kind: 'directory',
    whenUnset: '`.data/cities/<code>/pgdata`',
  }),
  KEYS_DIR: z.string().default(DEFAULT_KEYS_DIR).meta({
    description:
      'Where the city’s message-signing key (`city-<code>.private.jwk.json`; created on first start, except in production, which only reads it) and, by default, the gateway’s and the dev issuers’ public keys are.',
    kind: 'directory',
  }),
  GATEWAY_JWKS_FILE: z.string().optional().meta({
    description: 'Public keys of the gateway’s principal signatures; re-read when the file changes.',
    kind: 'JWKS file path',
    whenUnset: '`<KEYS_DIR>/gateway.jwks.json`',
  }),
  ISSUER: z.string().optional().meta({
    description:
      'Issuer (`iss`) of the tokens the city’s internal API accepts, instead of the identity provider the network file names for the city (outside production: besides it).',
    kind: 'string',
    whenUnset:
      'the city’s `identityProvider` in the network file; without one (not in production) the local dev issuer, `urn:avhoppare:dev-issuer:<code>`',
  }),
  ISSUER_JWKS_FILE: z.string().optional().meta({
    description: 'Public keys of the `ISSUER`; re-read when the file changes.',
    kind: 'JWKS file path',
    whenUnset: '`<KEYS_DIR>/issuer-<code>.jwks.json`',
  }),
  DEMO_DATA: z.enum(['true', 'false']).optional().meta({
    description:
      'Seed the city’s fictional demo data at start (idempotent). Production never does: `true` there stops the start.',
    whenUnset: '`true`, except with `NODE_ENV=production`',
  }),
  CHECKPOINT_EVERY_ENTRIES: z.coerce.number().int().positive().default(100).meta({
    description:
      'The city signs a checkpoint of its disclosure and access logs (sequence, newest hash, time) and sends it to every other city once this many entries were added since the last one…',
  }),
  CHECKPOINT_INTERVAL_MS: z.coerce.number().int().positive().default(300_000).meta({
    description:
      '… or once this long has passed with new entries, whichever comes first. The other cities keep the checkpoints; `npm run audit:verify` compares the logs with them.',
  }),
  NETWORK_FILE: z.string().optional().meta({
    description:
      'The network, as for the gateway: where the other cities answer and which keys they sign with.',
    kind: 'JSON file path',
    whenUnset: 'the demo network',
  }),
  AGREEMENTS_FILE: z.string().optional().meta({
    description: 'The agreements as data, as for the gateway; every party must use the same.',
    kind: 'JSON file path',
    whenUnset: 'the built-in 2023 pilot agreement',
  }),
  PEER_TIMEOUT_MS: z.coerce.number().int().positive().default(5000).meta({
    description: 'Budget for one message to another city.',
  }),
  PEER_RETRY_MAX_MS: z.coerce.number().int().positive().default(10_000).meta({
    description:
      'Longest wait between two attempts to deliver a change to another city; attempts start at once and back off, doubling, up to this.',
  }),
  PEER_DIGEST_BUCKETS_PER_MINUTE: z.coerce.number().int().min(512).default(16_384).meta({
    description:
      'How many digest buckets each other city may ask this one about a minute (bucket hashes and lines alike; 256 for a question that names none, and at least 64 for any question, so many small ones cannot write many more disclosure-log entries than a few full ones), up to a minute’s worth saved. Beyond it a digest question is refused with `QUESTIONS_OVER_BUDGET`, reading and logging nothing, and the asking city asks the same again soon. A full comparison asks 256 bucket hashes and at most 256 buckets’ lines. The default holds 32 of them a minute, so the periodic check (at most 128 a minute at the consistency defaults: a question about 32 buckets’ hashes and, when some differ, one about their lines, each counted as 64; up to 512 while buckets still differ or after a start) and people’s checks (an auditor’s `consistency` query or `npm run check:consistency`, up to 512 each) stay far below it, while a city that asks without end gets about one full comparison every two seconds instead of all the database time its one question at a time could take. At least 512, one full comparison. An assumption: every city of a network uses the same figure.',
  }),
  PEER_QUESTIONS_PER_MINUTE: z.coerce.number().int().positive().default(600).meta({
    description:
      'How many other questions (offers, costs borne, checkpoints held, reconciliations settled) each other city may ask this one a minute, up to a minute’s worth saved; people’s actions ask them, a few a minute. Beyond it a question is refused with `QUESTIONS_OVER_BUDGET`, reading and logging nothing. Digest questions have a budget of their own, so the consistency check never leaves a person’s action unanswered. An assumption: every city of a network uses the same figure.',
  }),
  PEER_REFUSALS_PER_MINUTE: z.coerce.number().int().positive().default(30).meta({
    description:
      'How many of each other city’s changes this city refuses and keeps a minute (each refusal is kept with its disclosure-log entry and its reply), up to a minute’s worth saved. An honest city’s changes are refused rarely, when two people act at once. Past it, a change that would be refused is answered `MESSAGES_OVER_BUDGET` with nothing written, and the sending city’s outbox sends it again later; while none is left, that city’s changes wait for budget before they are tried. So a city that sends refused changes without end cannot fill this one’s logs or take its database time. An assumption: every city of a network uses the same figure.',
  }),
  PEER_CHANGES_PER_MINUTE: z.coerce.number().int().min(60).default(1200).meta({
    description:
      'How many changes from each other city this city takes in a minute, applied or refused (each is kept with its disclosure-log entry, and some change nothing, such as the same answer again), up to a minute’s worth saved. Honest cities send a few a minute per person at work, and a backlog after an outage in a burst. Past it, a change is answered `MESSAGES_OVER_BUDGET` with nothing written, and the sending city’s outbox sends it again later, so a backlog drains at this pace. A replay of a message already taken in is answered as before. At least 60. An assumption: every city of a network uses the same figure.',
  }),
  PEER_CHECKPOINTS_PER_MINUTE: z.coerce.number().int().min(60).default(120).meta({
    description:
      'How many new checkpoints of each other city’s logs this city keeps a minute, up to a minute’s worth saved. A city checkpoints each of its two logs at most every 2 s, 60 a minute in all, and far fewer at the `CHECKPOINT_*` defaults. Past it, a checkpoint is answered `MESSAGES_OVER_BUDGET` with nothing written, and the sending city’s outbox sends it again later. At least 60. An assumption: every city of a network uses the same figure.',
  }),
  PEER_OPEN_PROPOSALS_PER_CITY: z.coerce.number().int().positive().default(100).meta({
    description:
      'How many proposals from each other city this city holds unanswered at once (neither answered here nor withdrawn). An honest city’s proposals to one other are few: a quota per term, each to be answered within the agreement’s deadline. Past it, a new proposal is answered `MESSAGES_OVER_BUDGET` with nothing written, and the sending city’s outbox sends it again later, the messages after it about that assignment waiting behind it; it shows there as not yet acknowledged (`pendingAtReceiving`). So a city cannot fill this one’s list of proposals to answer. Each deferred attempt counts against the sending city’s `PEER_CHANGES_PER_MINUTE`. A repair that brings a missing proposal is bounded the same way, unless it is withdrawn already. An assumption: the seeds name quotas per term, not a bound on unanswered proposals.',
  }),
  CONSISTENCY_CHECK_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000).meta({
    description:
      'How often the city compares a digest of the assignments it shares with each other city and repairs from the owner of each fact; `0` turns the periodic check off (`npm run check:consistency` still works).',
  }),
  CONSISTENCY_BUCKETS_PER_CHECK: z.coerce.number().int().min(1).max(256).default(32).meta({
    description:
      'How many of the digest’s 256 buckets each periodic check compares with each city, so a full sweep takes 256 ÷ this many checks (8 at the default, 8 minutes at the default interval). The first check after start covers all of them, as does `npm run check:consistency`. Lower it to spread the work at large volumes; 256 compares everything every time.',
  }),
  STACKTRACES: z.enum(['true', 'false']).default('false').meta({
    description:
      'Stack traces in the city’s error answers (`extensions.stacktrace`), for debugging. Ignored with `NODE_ENV=production`, which never sends one.',
  }),
  NODE_ENV: z.string().default('development').meta({
    description:
      '`production` fails closed: the city refuses to start unless `NETWORK_FILE` names a real identity provider for every municipality and every key it needs exists (its own, the gateway’s, the other cities’); it never creates keys, trusts a dev issuer or loads demo data. It also masks error details and turns introspection off on every endpoint of the city.',
    kind: '`production` or anything else',
  }),
});

export async function loadCityConfig(source: { code?: string; file?: string }): Promise<CityConfig> {
  let raw: unknown;
  if (source.file) {
    const file = resolve(source.file);
    raw = file.endsWith('.json') ? JSON.parse(readFileSync(file, 'utf8')) : await importTypeScript(file);
  } else if (source.code) {
    // A literal path pattern: the process bundle (scripts/build.ts) carries every city folder's file.
    raw = ((await import(`./cities/${source.code}/city.ts`)) as { default: unknown }).default;
  } else {
    throw new Error(
      'Set CITY to a municipality code under subgraphs/cities/, or CITY_CONFIG to a config file',
    );
  }
  const parsed = cityConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid city configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A `.ts` configuration file; a process started from its bundle has no TypeScript loader, so tsx loads this one file. */
async function importTypeScript(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  try {
    return ((await import(url)) as { default: unknown }).default;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    const { tsImport } = await import('tsx/esm/api');
    const loaded = ((await tsImport(url, import.meta.url)) as { default: unknown }).default;
    // A file outside an ES-module package loads as CommonJS: its default export sits one level down.
    return loaded && typeof loaded === 'object' && 'default' in loaded && !('code' in loaded)
      ? loaded.default
      : loaded;
  }
}

export async function readCityRuntimeConfig(
  environment: NodeJS.ProcessEnv = process.env,
): Promise<CityRuntimeConfig> {
  const parsed = cityEnvironment.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  const city = await loadCityConfig({ code: e.CITY, file: e.CITY_CONFIG });
  const production = e.NODE_ENV === 'production';
  // Read now when it is there; the demo launcher writes it only once the cities have their ports.
  const network =
    e.NETWORK_FILE && (production || existsSync(e.NETWORK_FILE)) ? readNetwork(e.NETWORK_FILE) : undefined;
  const own = network?.municipalities.find((m) => m.code === city.code);
  return {
    city,
    host: e.HOST,
    port: e.PORT ?? city.port,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: e.DATA_DIR ?? `.data/cities/${city.code}/pgdata` },
    databaseOwnerUrl: e.DATABASE_OWNER_URL,
    gatewayJwksFile: e.GATEWAY_JWKS_FILE ?? gatewayKeyFiles(e.KEYS_DIR).jwks,
    issuer: e.ISSUER
      ? {
          issuer: e.ISSUER,
          audience: USER_TOKEN_AUDIENCE,
          jwksFile: e.ISSUER_JWKS_FILE ?? devIssuerKeyFiles(e.KEYS_DIR, city.code).jwks,
        }
      : own?.identityProvider
        ? identityProviderOf(own, e.KEYS_DIR)
        : {
            issuer: devIssuer(city.code),
            audience: USER_TOKEN_AUDIENCE,
            jwksFile: e.ISSUER_JWKS_FILE ?? devIssuerKeyFiles(e.KEYS_DIR, city.code).jwks,
          },
    issuerFromEnvironment: Boolean(e.ISSUER),
    seedDemoData: (e.DEMO_DATA ?? (production ? 'false' : 'true')) === 'true',
    demoDataRequested: e.DEMO_DATA === 'true',
    production,
    stacktraces: e.STACKTRACES === 'true' && !production,
    keysDir: e.KEYS_DIR,
    networkFile: e.NETWORK_FILE,
    network,
    server: readServerSettings(environment),
    agreements: loadAgreements(e.AGREEMENTS_FILE),
    peerTimeoutMs: e.PEER_TIMEOUT_MS,
    peerRetryMaxMs: e.PEER_RETRY_MAX_MS,
    peerLimits: {
      digestBuckets: e.PEER_DIGEST_BUCKETS_PER_MINUTE,
      questions: e.PEER_QUESTIONS_PER_MINUTE,
      refusals: e.PEER_REFUSALS_PER_MINUTE,
      checkpoints: e.PEER_CHECKPOINTS_PER_MINUTE,
      changes: e.PEER_CHANGES_PER_MINUTE,
    },
    openProposalsPerCity: e.PEER_OPEN_PROPOSALS_PER_CITY,
    consistencyIntervalMs: e.CONSISTENCY_CHECK_INTERVAL_MS,
    consistencyBucketsPerCheck: e.CONSISTENCY_BUCKETS_PER_CHECK,
    checkpoints: { everyEntries: e.CHECKPOINT_EVERY_ENTRIES, intervalMs: e.CHECKPOINT_INTERVAL_MS },
  };
}

// The city process's configuration: read from the environment once, checked,
// and handed to the rest of the code as a typed object.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DEFAULT_KEYS_DIR, devIssuer, devIssuerKeyFiles, gatewayKeyFiles } from '../schema/contract/identity';
import { cityConfigSchema, type CityConfig } from './city';
import { loadAgreements, type AgreementRecord } from './agreement/agreements';
import type { DatabaseOptions } from './db/database';

export interface CityRuntimeConfig {
  city: CityConfig;
  host: string;
  port: number;
  database: DatabaseOptions;
  /** JWKS of the gateway's principal-signing keys. */
  gatewayJwksFile: string;
  /** The city's own identity provider, for its internal API. */
  issuer: { issuer: string; jwksFile: string };
  seedDemoData: boolean;
  production: boolean;
  keysDir: string;
  /** The network (where the other cities answer); the demo network when absent. */
  networkFile?: string;
  agreements: readonly AgreementRecord[];
  /** Budget for one call to another city. */
  peerTimeoutMs: number;
}

const env = z.object({
  CITY: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
  CITY_CONFIG: z.string().optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  DATA_DIR: z.string().optional(),
  KEYS_DIR: z.string().default(DEFAULT_KEYS_DIR),
  GATEWAY_JWKS_FILE: z.string().optional(),
  ISSUER: z.string().optional(),
  ISSUER_JWKS_FILE: z.string().optional(),
  DEMO_DATA: z.enum(['true', 'false']).default('true'),
  NETWORK_FILE: z.string().optional(),
  AGREEMENTS_FILE: z.string().optional(),
  PEER_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  NODE_ENV: z.string().default('development'),
});

export async function loadCityConfig(source: { code?: string; file?: string }): Promise<CityConfig> {
  let raw: unknown;
  if (source.file) {
    const file = resolve(source.file);
    raw = file.endsWith('.json')
      ? JSON.parse(readFileSync(file, 'utf8'))
      : ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
  } else if (source.code) {
    const url = new URL(`./cities/${source.code}/city.ts`, import.meta.url);
    raw = ((await import(url.href)) as { default: unknown }).default;
  } else {
    throw new Error(
      'Set CITY to a municipality code under subgraphs/cities/, or CITY_CONFIG to a config file',
    );
  }
  const parsed = cityConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid city configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export async function readCityRuntimeConfig(
  environment: NodeJS.ProcessEnv = process.env,
): Promise<CityRuntimeConfig> {
  const parsed = env.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  const city = await loadCityConfig({ code: e.CITY, file: e.CITY_CONFIG });
  return {
    city,
    host: e.HOST,
    port: e.PORT ?? city.port,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: e.DATA_DIR ?? `.data/cities/${city.code}/pgdata` },
    gatewayJwksFile: e.GATEWAY_JWKS_FILE ?? gatewayKeyFiles(e.KEYS_DIR).jwks,
    issuer: {
      issuer: e.ISSUER ?? devIssuer(city.code),
      jwksFile: e.ISSUER_JWKS_FILE ?? devIssuerKeyFiles(e.KEYS_DIR, city.code).jwks,
    },
    seedDemoData: e.DEMO_DATA === 'true',
    production: e.NODE_ENV === 'production',
    keysDir: e.KEYS_DIR,
    networkFile: e.NETWORK_FILE,
    agreements: loadAgreements(e.AGREEMENTS_FILE),
    peerTimeoutMs: e.PEER_TIMEOUT_MS,
  };
}

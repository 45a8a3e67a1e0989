// The gateway's configuration, read from the environment once and checked.
import { z } from 'zod';
import { DEFAULT_KEYS_DIR } from '../schema/contract/identity';
import { loadAgreements, type AgreementRecord } from '../subgraphs/agreement/agreements';
import type { RequestLimitsOptions } from './hardening/limits';
import { readNetwork, type NetworkConfig } from '../schema/contract/network';

export interface GatewayConfig {
  host: string;
  port: number;
  network: NetworkConfig;
  /** Per-city budget for one subgraph call. */
  cityTimeoutMs: number;
  /** Keep-alive connections per city and role. */
  connectionsPerCity: number;
  /** Identical reads in flight for the same person share one city call. */
  dedupeCityReads: boolean;
  circuit: { failureThreshold: number; cooldownMs: number };
  keysDir: string;
  agreements: readonly AgreementRecord[];
  production: boolean;
  /** Schema introspection; off in production unless asked for. */
  introspection: boolean;
  /** Origins allowed by CORS; none (no CORS headers) when empty. */
  corsOrigins: string[];
  /** Largest request body, e.g. "100kb". */
  bodyLimit: string;
  limits: RequestLimitsOptions;
  /** Only the operations in this manifest run, when set. */
  trustedDocumentsFile?: string;
  /** Approximate size of the query-plan cache (LRU), in MiB. */
  queryPlanCacheMiB: number;
  /** Size of the automatic persisted queries cache (LRU), in MiB; 0 turns APQ off. */
  persistedQueriesCacheMiB: number;
}

const env = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  NETWORK_FILE: z.string().optional(),
  CITY_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  CITY_CONNECTIONS: z.coerce.number().int().positive().default(32),
  DEDUPE_CITY_READS: z.enum(['true', 'false']).default('true'),
  CIRCUIT_FAILURES: z.coerce.number().int().positive().default(3),
  CIRCUIT_COOLDOWN_MS: z.coerce.number().int().positive().default(5000),
  KEYS_DIR: z.string().default(DEFAULT_KEYS_DIR),
  AGREEMENTS_FILE: z.string().optional(),
  NODE_ENV: z.string().default('development'),
  INTROSPECTION: z.enum(['true', 'false']).optional(),
  CORS_ORIGINS: z.string().default(''),
  BODY_LIMIT: z.string().default('100kb'),
  MAX_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_ALIASES: z.coerce.number().int().positive().default(15),
  MAX_TOKENS: z.coerce.number().int().positive().default(3000),
  MAX_COST: z.coerce.number().int().positive().default(5000),
  MAX_DIRECTIVES: z.coerce.number().int().positive().default(20),
  TRUSTED_DOCUMENTS_FILE: z.string().optional(),
  QUERY_PLAN_CACHE_MB: z.coerce.number().int().positive().default(30),
  APQ_CACHE_MB: z.coerce.number().int().min(0).default(8),
});

export function readGatewayConfig(environment: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = env.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    network: readNetwork(e.NETWORK_FILE),
    cityTimeoutMs: e.CITY_TIMEOUT_MS,
    connectionsPerCity: e.CITY_CONNECTIONS,
    dedupeCityReads: e.DEDUPE_CITY_READS === 'true',
    circuit: { failureThreshold: e.CIRCUIT_FAILURES, cooldownMs: e.CIRCUIT_COOLDOWN_MS },
    keysDir: e.KEYS_DIR,
    agreements: loadAgreements(e.AGREEMENTS_FILE),
    production: e.NODE_ENV === 'production',
    introspection: e.INTROSPECTION ? e.INTROSPECTION === 'true' : e.NODE_ENV !== 'production',
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    bodyLimit: e.BODY_LIMIT,
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxTokens: e.MAX_TOKENS,
      maxCost: e.MAX_COST,
      maxDirectives: e.MAX_DIRECTIVES,
    },
    trustedDocumentsFile: e.TRUSTED_DOCUMENTS_FILE,
    queryPlanCacheMiB: e.QUERY_PLAN_CACHE_MB,
    persistedQueriesCacheMiB: e.APQ_CACHE_MB,
  };
}

// What a city refuses to start without in production (NODE_ENV=production):
// see runtime/production.ts for what every process checks.
import { cityKeyFiles, peerKeysOf } from '../runtime/keys';
import { missingFile, networkProblems } from '../runtime/production';
import { DEMO_NETWORK } from '../schema/contract/network';
import type { CityRuntimeConfig } from './config';

export function cityProductionProblems(config: CityRuntimeConfig): string[] {
  const { city, keysDir } = config;
  const network = config.network ?? DEMO_NETWORK;
  const problems = networkProblems(config.networkFile, network);
  if (config.network && !config.network.municipalities.some((m) => m.code === city.code))
    problems.push(`municipality ${city.code} (${city.name}) is not in the network file`);
  if (config.demoDataRequested) problems.push('DEMO_DATA=true: production never loads demo data');
  if (config.issuer.issuer.startsWith('urn:avhoppare:dev-issuer:'))
    problems.push(`the internal API’s issuer ${config.issuer.issuer} is a local dev issuer`);
  if (config.issuerFromEnvironment && config.issuer.jwksFile)
    problems.push(...missingFile(config.issuer.jwksFile, 'The identity provider’s keys (ISSUER_JWKS_FILE)'));
  problems.push(
    ...missingFile(cityKeyFiles(keysDir, city.code).privateJwk, 'The city’s message-signing key'),
    ...missingFile(config.gatewayJwksFile, 'The gateway’s public keys (GATEWAY_JWKS_FILE)'),
  );
  for (const entry of config.network?.municipalities ?? []) {
    if (entry.code === city.code) continue;
    const keys = peerKeysOf(entry, keysDir);
    if (keys.jwksFile)
      problems.push(...missingFile(keys.jwksFile, `The message keys of municipality ${entry.code}`));
  }
  if (config.database.kind === 'postgres' && !config.databaseOwnerUrl)
    problems.push(
      'DATABASE_OWNER_URL is not set: migrations must run as the owner, so the runtime role cannot rewrite the logs',
    );
  return problems;
}

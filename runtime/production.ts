// Production fails closed. In production (NODE_ENV=production) the gateway
// and every city check, before they open a port, that the network names a
// real identity provider for every municipality and that every key they need
// is there; they never fall back to the demo network, a dev issuer, a key
// they would create themselves or demo data. Every problem found is named at
// once, so an operator fixes the configuration in one go.
import { existsSync } from 'node:fs';
import { devIssuer } from '../schema/contract/identity';
import type { NetworkConfig } from '../schema/contract/network';
import { isLoopback } from './tls';

/** Problems with the network that production refuses to start with. */
export function networkProblems(networkFile: string | undefined, network: NetworkConfig): string[] {
  if (!networkFile)
    return ['NETWORK_FILE is not set: the built-in demo network trusts the local dev issuers'];
  const problems: string[] = [];
  for (const entry of network.municipalities) {
    const who = `municipality ${entry.code} (${entry.name})`;
    const provider = entry.identityProvider;
    if (!provider) {
      problems.push(`${who} names no identity provider (identityProvider: issuer, audience, jwksUrl)`);
    } else {
      if (
        provider.issuer === devIssuer(entry.code) ||
        provider.issuer.startsWith('urn:avhoppare:dev-issuer:')
      )
        problems.push(`${who}: the issuer ${provider.issuer} is a local dev issuer`);
      if (!provider.audience) problems.push(`${who}: its identity provider names no audience`);
      if (!provider.jwksUrl) problems.push(`${who}: its identity provider names no jwksUrl`);
      else if (insecure(provider.jwksUrl))
        problems.push(`${who}: the jwksUrl ${provider.jwksUrl} is plain HTTP off this machine; use https:`);
    }
    if (insecure(entry.url))
      problems.push(`${who}: the url ${entry.url} is plain HTTP off this machine; use https:`);
  }
  return problems;
}

/** A file production needs, named with what it is when missing. */
export function missingFile(file: string, what: string): string[] {
  return existsSync(file) ? [] : [`${what} ${file} is missing`];
}

// Plain HTTP stays on loopback: the demo, and a stand-in identity provider in tests.
// Assumption: anything that leaves the machine must be TLS in production.
const insecure = (url: string) => new URL(url).protocol === 'http:' && !isLoopback(url);

/** Throws one error naming every problem, when there is any. */
export function refuseUnlessReady(process: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new Error(
    `The ${process} refuses to start in production (NODE_ENV=production):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}

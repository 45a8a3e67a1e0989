// The network over HTTPS with a certificate authority the test makes: the
// gateway and the cities serve TLS, trust only that authority, and the
// cities require client certificates (mutual TLS). One request goes through
// the gateway to every city and back; a caller without a certificate from
// that authority is refused by a city before any HTTP is spoken.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates, type TestCertificates } from '../support/certificates';
import { startTestNetwork, type TestNetwork } from '../support/network';

describe('a network over TLS with mutual authentication', () => {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-tls-'));
  let certificates: TestCertificates;
  let network: TestNetwork;
  beforeAll(async () => {
    certificates = makeCertificates(dir);
    network = await startTestNetwork({
      tls: {
        caFile: certificates.caFile,
        certFile: certificates.certFile,
        keyFile: certificates.keyFile,
        clientCertificates: true,
      },
    });
  });
  afterAll(async () => {
    await network?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every process over https', () => {
    expect(network.gatewayUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    for (const city of network.cities.values()) expect(city.url).toMatch(/^https:/);
  });

  it('answers a request that fans out to every city and back', async () => {
    const reply = await network.query<{ assignments: { edges: { node: { id: string; costs: unknown } }[] } }>(
      '0180',
      '{ assignments(first: 10) { edges { node { id receivingMunicipality costs { total { amount } } } } } }',
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data?.assignments.edges.length).toBeGreaterThan(0);
  });

  it('refuses a caller without a client certificate, or with one from another authority', async () => {
    const malmo = `${network.cities.get('1280')!.url}/health/live`;
    const ca = readFileSync(certificates.caFile, 'utf8');
    const bare = new Agent({ connect: { ca } });
    const stranger = new Agent({
      connect: {
        ca,
        cert: readFileSync(certificates.strangerCertFile, 'utf8'),
        key: readFileSync(certificates.strangerKeyFile, 'utf8'),
      },
    });
    try {
      await expect(fetch(malmo, { dispatcher: bare })).rejects.toThrow();
      await expect(fetch(malmo, { dispatcher: stranger })).rejects.toThrow();
      const trusted = await network.fetch(malmo);
      expect(trusted.status).toBe(200);
    } finally {
      await bare.close();
      await stranger.close();
    }
  });

  it('is not trusted by a client that does not know the authority', async () => {
    await expect(fetch(network.gatewayUrl, { method: 'POST' })).rejects.toThrow();
  });
});

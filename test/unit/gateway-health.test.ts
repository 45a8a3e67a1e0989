// The gateway's health: live while the process answers; ready with each
// city's status, since the gateway serves partial data while some are down.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../gateway/health';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())),
  );
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A city whose /health answers `status`, or never answers. */
const city = (status: number | 'hangs') =>
  listen(
    createServer((_req, res) => {
      if (status !== 'hangs') res.writeHead(status).end();
    }),
  );

describe('gateway health', () => {
  it('is live without asking any city', async () => {
    const gateway = await listen(
      createServer(express().use(healthRoutes({ cities: [{ code: '0180', url: 'http://127.0.0.1:9' }] }))),
    );

    const response = await fetch(`${gateway}/health/live`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('reports each city when ready: up, failing, unreachable or too slow', async () => {
    const cities = [
      { code: '0180', url: `${await city(200)}/` },
      { code: '1480', url: await city(503) },
      { code: '1280', url: 'http://127.0.0.1:9' },
      { code: '0380', url: await city('hangs') },
    ];
    const gateway = await listen(createServer(express().use(healthRoutes({ cities, probeTimeoutMs: 200 }))));

    for (const path of ['/health', '/health/ready']) {
      const response = await fetch(`${gateway}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ok',
        cities: [
          { municipality: '0180', status: 'ok' },
          { municipality: '1480', status: 'unavailable' },
          { municipality: '1280', status: 'unavailable' },
          { municipality: '0380', status: 'unavailable' },
        ],
      });
    }
  });
});

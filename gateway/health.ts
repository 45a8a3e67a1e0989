// Health routes. Live: the process answers. Ready: the supergraph is loaded
// (the server only listens after that); it also reports each city, since
// the gateway answers with partial data while some are down.
import { Router } from 'express';
import { request, type Dispatcher } from 'undici';
import type { MunicipalityCode } from '../schema/contract/municipality';

export interface HealthRoutesOptions {
  /** The cities to report, each probed at `<url>/health`. */
  cities: readonly { code: MunicipalityCode; url: string }[];
  /** How long one city's health check may take before it counts as unavailable. @default 2000 */
  probeTimeoutMs?: number;
  /** The HTTP agent for `https:` cities (trusted authorities, client certificate). */
  dispatcher?: Dispatcher;
}

type CityStatus = { municipality: MunicipalityCode; status: 'ok' | 'unavailable' };

export function healthRoutes(options: HealthRoutesOptions): Router {
  const { cities, probeTimeoutMs = 2000 } = options;
  const probe = async (city: HealthRoutesOptions['cities'][number]): Promise<CityStatus> => {
    try {
      const response = await request(`${city.url.replace(/\/$/, '')}/health`, {
        signal: AbortSignal.timeout(probeTimeoutMs),
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      await response.body.dump();
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      return { municipality: city.code, status: ok ? 'ok' : 'unavailable' };
    } catch {
      return { municipality: city.code, status: 'unavailable' };
    }
  };
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get(['/health', '/health/ready'], async (_req, res) => {
    res.json({ status: 'ok', cities: await Promise.all(cities.map(probe)) });
  });
  return router;
}

// Where /metrics is served, and to whom. On its own port (METRICS_PORT,
// loopback by default) it is left off the main port; on the main port it
// asks for METRICS_TOKEN when one is set, and in production it is refused
// without one: metrics tell an outsider how busy each city is and when.
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { ErrorCode, errorBody } from '../schema/contract/errors';
import type { MetricsSettings, TlsSettings } from './environment';
import { closeGracefully } from './shutdown';
import { listenOn } from './tls';

export interface MetricsEndpointOptions {
  registry: Registry;
  settings: MetricsSettings;
  production: boolean;
  tls: TlsSettings;
}

export interface MetricsEndpoint {
  /** Mounts /metrics on the main app, unless it has a port of its own. */
  mount(app: Express): void;
  /** Opens the metrics port, when there is one; resolves to its port (undefined without one). */
  start(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export function metricsEndpoint(options: MetricsEndpointOptions): MetricsEndpoint {
  const { registry, settings } = options;
  const serve: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
  const guarded = (token: string | undefined): RequestHandler => {
    if (token === undefined) return serve;
    const expected = Buffer.from(`Bearer ${token}`);
    return (req, res, next) => {
      const given = Buffer.from(req.header('authorization') ?? '');
      if (given.length === expected.length && timingSafeEqual(given, expected))
        return void serve(req, res, next);
      res.status(401).json(errorBody(ErrorCode.UNAUTHENTICATED, 'Metrics need the metrics token'));
    };
  };
  const refused: RequestHandler = (_req, res) => {
    res
      .status(401)
      .json(errorBody(ErrorCode.UNAUTHENTICATED, 'Metrics are served on the metrics port or with a token'));
  };
  let server: Awaited<ReturnType<typeof listenOn>> | undefined;
  return {
    mount(app) {
      if (settings.port !== undefined) return;
      if (settings.token !== undefined) app.get('/metrics', guarded(settings.token));
      else app.get('/metrics', options.production ? refused : serve);
    },
    async start() {
      if (settings.port === undefined) return undefined;
      const app = express();
      app.disable('x-powered-by');
      app.get('/metrics', guarded(settings.token));
      // Scrapers present no client certificate; the port is on its own interface.
      server = await listenOn(app, settings.port, settings.host, {
        ...options.tls,
        requireClientCertificates: false,
      });
      return (server.address() as AddressInfo).port;
    },
    async stop() {
      if (server) await closeGracefully(server, 1000);
    },
  };
}

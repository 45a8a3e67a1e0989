// Starts one city: `CITY=0180 tsx subgraphs/main.ts` (or CITY_CONFIG=file).
import { createLogger, type Logger } from '../schema/contract/logger';
import { startTelemetry, type Telemetry } from '../schema/contract/telemetry';
import { readCityRuntimeConfig } from './config';
import { startCity } from './server';

let log: Logger = createLogger({ service: 'avhoppare-city', municipality: process.env.CITY });
let telemetry: Telemetry | undefined;

try {
  const config = await readCityRuntimeConfig();
  const { code, name } = config.city;
  log = createLogger({ service: `avhoppare-city-${code}`, municipality: code });
  // Before the server: spans need the provider and context manager in place.
  telemetry = startTelemetry(`avhoppare-city-${code}`, { log });
  log.info({ name, tracing: telemetry.tracing, database: config.database.kind }, 'city starting');
  const city = await startCity(config, { log });
  log.info({ name, url: city.url, port: city.port, tracing: telemetry.tracing }, 'city ready');
  process.send?.({ type: 'ready', municipality: code, url: city.url, port: city.port });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'city stopping');
    city
      .stop()
      .then(() => telemetry?.shutdown())
      .then(
        () => {
          log.info('city stopped');
          log.flush();
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'error while stopping');
          log.flush();
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('disconnect', () => shutdown('disconnect'));
} catch (error) {
  // Start-up failures are about configuration, files and the database, never people.
  log.fatal({ reason: error instanceof Error ? error.message : String(error) }, 'city could not start');
  await telemetry?.shutdown();
  log.flush();
  process.exit(1);
}

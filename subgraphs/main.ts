// Starts one city: `CITY=0180 npm run city` (or CITY_CONFIG=file).
import { createLogger, logsWritten, type Logger } from '../runtime/logger';
import { stopOnSignals } from '../runtime/shutdown';
import { startTelemetry, type Telemetry } from '../runtime/telemetry';
import { readCityRuntimeConfig } from './config';
import { startCity } from './server';

let log: Logger = createLogger({ service: 'avhoppare-city', municipality: process.env.CITY });
let telemetry: Telemetry | undefined;

try {
  const config = await readCityRuntimeConfig();
  const { code, name } = config.city;
  log = createLogger({ service: `avhoppare-city-${code}`, municipality: code });
  // Before the server: spans need the provider and context manager in place.
  telemetry = await startTelemetry(`avhoppare-city-${code}`, { log });
  log.info({ name, tracing: telemetry.tracing, database: config.database.kind }, 'city starting');
  const city = await startCity(config, { log });
  log.info({ name, url: city.url, port: city.port, tracing: telemetry.tracing }, 'city ready');
  process.send?.({ type: 'ready', municipality: code, url: city.url, port: city.port });
  stopOnSignals('city', () => city.stop(), log, telemetry);
} catch (error) {
  // Start-up failures are about configuration, files and the database, never people.
  log.fatal({ reason: error instanceof Error ? error.message : String(error) }, 'city could not start');
  await telemetry?.shutdown();
  await logsWritten(log);
  process.exit(1);
}

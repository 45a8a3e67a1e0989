// Starts one city: `CITY=0180 tsx subgraphs/main.ts` (or CITY_CONFIG=file).
import { readCityRuntimeConfig } from './config';
import { startCity } from './server';

try {
  const config = await readCityRuntimeConfig();
  const city = await startCity(config);
  console.log(`${config.city.code} ${config.city.name} listening on ${city.url}`);
  process.send?.({ type: 'ready', municipality: config.city.code, url: city.url, port: city.port });
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    city.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Error while stopping', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('disconnect', shutdown);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

// Starts the gateway: `tsx gateway/main.ts` (configured by environment).
import { createLogger } from '../schema/contract/logger';
import { startTelemetry } from '../schema/contract/telemetry';
import { readGatewayConfig } from './config';
import { startGateway } from './server';

const log = createLogger({ service: 'avhoppare-gateway' });
// Before the server: spans need the provider and context manager in place.
const telemetry = startTelemetry('avhoppare-gateway', { log });

try {
  log.info({ tracing: telemetry.tracing }, 'gateway starting');
  const config = readGatewayConfig();
  const gateway = await startGateway(config, { log });
  log.info({ url: gateway.url, port: gateway.port, tracing: telemetry.tracing }, 'gateway ready');
  process.send?.({ type: 'ready', url: gateway.url, port: gateway.port });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'gateway stopping');
    gateway
      .stop()
      .then(() => telemetry.shutdown())
      .then(
        () => {
          log.info('gateway stopped');
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
  // Start-up failures are about configuration (environment, files), never people.
  log.fatal({ reason: error instanceof Error ? error.message : String(error) }, 'gateway could not start');
  await telemetry.shutdown();
  log.flush();
  process.exit(1);
}

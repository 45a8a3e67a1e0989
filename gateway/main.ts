// Starts the gateway: `npm run gateway` (configured by environment).
import { requireGeneratedCode } from '../runtime/generatedCode';
import { createLogger, logsWritten } from '../runtime/logger';
import { stopOnSignals } from '../runtime/shutdown';
import { startTelemetry } from '../runtime/telemetry';
import { readGatewayConfig } from './config';
import { startGateway } from './server';

requireGeneratedCode();
const log = createLogger({ service: 'avhoppare-gateway' });
// Before the server: spans need the provider and context manager in place.
const telemetry = await startTelemetry('avhoppare-gateway', { log });

try {
  log.info({ tracing: telemetry.tracing }, 'gateway starting');
  const config = readGatewayConfig();
  const gateway = await startGateway(config, { log });
  log.info({ url: gateway.url, port: gateway.port, tracing: telemetry.tracing }, 'gateway ready');
  process.send?.({ type: 'ready', url: gateway.url, port: gateway.port });
  stopOnSignals('gateway', () => gateway.stop(), log, telemetry);
} catch (error) {
  // Start-up failures are about configuration (environment, files), never people.
  log.fatal({ reason: error instanceof Error ? error.message : String(error) }, 'gateway could not start');
  await telemetry.shutdown();
  await logsWritten(log);
  process.exit(1);
}

// Starts the gateway: `tsx gateway/main.ts` (configured by environment).
import { readGatewayConfig } from './config';
import { startGateway } from './server';

try {
  const config = readGatewayConfig();
  const gateway = await startGateway(config);
  console.log(`gateway listening on ${gateway.url}`);
  process.send?.({ type: 'ready', url: gateway.url, port: gateway.port });
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    gateway.stop().then(
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

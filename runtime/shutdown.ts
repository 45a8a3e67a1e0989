// Stopping an HTTP server without cutting requests short: no new connections,
// idle keep-alive connections closed at once and again as requests in flight
// finish (Node keeps those open otherwise), the rest cut after a grace period.
import type { Server } from './tls';
import { logsWritten, type Logger } from './logger';
import type { Telemetry } from './telemetry';

export function closeGracefully(http: Server, graceMs = 5000): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => http.closeIdleConnections(), 25);
    const cutOff = setTimeout(() => http.closeAllConnections(), graceMs);
    http.close(() => {
      clearInterval(sweep);
      clearTimeout(cutOff);
      resolve();
    });
    http.closeIdleConnections();
  });
}

/**
 * Stops the process's server on SIGINT, SIGTERM or when its parent goes away,
 * once, then exports buffered spans and exits (1 if stopping failed).
 */
export function stopOnSignals(
  what: string,
  stop: () => Promise<void>,
  log: Logger,
  telemetry: Pick<Telemetry, 'shutdown'> | undefined,
): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${what} stopping`);
    stop()
      .then(() => telemetry?.shutdown())
      .then(
        async () => {
          log.info(`${what} stopped`);
          await logsWritten(log);
          process.exit(0);
        },
        async (error: unknown) => {
          log.error({ err: error }, 'error while stopping');
          await logsWritten(log);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('disconnect', () => shutdown('disconnect'));
  // A parent that went away while this process was still starting sent no event it could hear.
  if (process.send && !process.connected) shutdown('disconnect');
}

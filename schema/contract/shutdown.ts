// Stopping an HTTP server without cutting requests short: no new connections,
// idle keep-alive connections closed at once and again as requests in flight
// finish (Node keeps those open otherwise), the rest cut after a grace period.
import type { Server } from 'node:http';

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

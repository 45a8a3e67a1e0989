// TLS for the gateway and the cities: a process with a certificate serves
// HTTPS on its port (asking for client certificates under mutual TLS), and
// every outgoing connection trusts the configured authorities and presents
// the process's certificate when the other side asks. URLs decide the
// scheme: an `https:` URL is always verified, an `http:` one stays plain
// (the demo on loopback).
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { Agent } from 'undici';
import type { TlsSettings } from './environment';

export type Server = HttpServer | HttpsServer;

/** No TLS: plain HTTP, the system's authorities. */
export const NO_TLS: TlsSettings = { requireClientCertificates: false };

/** A keep-alive agent for outgoing calls that trusts `tls.ca` and presents this process's certificate. */
export function tlsAgent(tls: TlsSettings, options: Agent.Options = {}): Agent {
  const connect = {
    ...(typeof options.connect === 'object' ? options.connect : {}),
    ...(tls.ca ? { ca: tls.ca } : {}),
    // Presented only when the server asks (mutual TLS); harmless otherwise.
    ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
  };
  return new Agent({ ...options, connect });
}

/** Whether this process serves HTTPS. */
export const servesHttps = (tls: TlsSettings) => Boolean(tls.cert && tls.key);

/** Starts listening with HTTPS when the settings carry a certificate, else HTTP. */
export function listenOn(
  handler: RequestListener,
  port: number,
  host: string,
  tls: TlsSettings,
): Promise<Server> {
  const server: Server = servesHttps(tls)
    ? createHttpsServer(
        {
          cert: tls.cert,
          key: tls.key,
          ...(tls.ca ? { ca: tls.ca } : {}),
          requestCert: tls.requireClientCertificates,
          rejectUnauthorized: tls.requireClientCertificates,
          minVersion: 'TLSv1.2',
        },
        handler,
      )
    : createHttpServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** The base URL a process announces for itself. */
export function baseUrlOf(host: string, port: number, tls: TlsSettings): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `${servesHttps(tls) ? 'https' : 'http'}://${name}:${port}`;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether a URL stays on this machine (plain HTTP is tolerated there, even in production). */
export function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return LOOPBACK.has(hostname) || hostname.startsWith('127.');
}

// W3C trace context: one trace id per client request, carried in traceparent
// from the gateway to every city (and between cities).
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** The trace id of a traceparent header, or a fresh one when absent or invalid. */
export function traceIdOf(traceparent: string | undefined): string {
  const id = TRACEPARENT.exec(traceparent ?? '')?.[1];
  return id && !/^0+$/.test(id) ? id : randomBytes(16).toString('hex');
}

/** A traceparent header for a new span of `traceId`. */
export const traceparentFor = (traceId: string) => `00-${traceId}-${randomBytes(8).toString('hex')}-01`;

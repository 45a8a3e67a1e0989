// W3C trace context: one trace id per client request, carried in traceparent
// from the gateway to every city (and between cities).
import { randomUUID } from 'node:crypto';

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** The trace id of a traceparent header, or a fresh one when absent or invalid. */
export function traceIdOf(traceparent: string | undefined): string {
  return traceIdIn(traceparent) ?? randomHex();
}

/** The trace id a well-formed traceparent names; undefined when absent or invalid. */
export function traceIdIn(traceparent: string | undefined): string | undefined {
  const id = TRACEPARENT.exec(traceparent ?? '')?.[1];
  return id && !/^0+$/.test(id) ? id : undefined;
}

/**
 * 32 random hex digits (122 random bits). randomUUID draws from a buffered
 * pool; randomBytes would ask the kernel on every request.
 */
const randomHex = () => randomUUID().replaceAll('-', '');

/** A traceparent header for a new span of `traceId`. */
export const traceparentFor = (traceId: string) => `00-${traceId}-${randomHex().slice(16)}-01`;

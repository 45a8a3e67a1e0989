// Sending messages to other cities: signed by this city, addressed to one
// city, with a timeout. The network file is read when needed, so a city can
// start before the file lists its neighbours' ports.
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'undici';
import { cityIssuer, cityKeyFiles } from '../../schema/contract/identity';
import type { Logger } from '../../schema/contract/logger';
import { inSpan, SpanKind, traceparentOf } from '../../schema/contract/telemetry';
import { ensureKeyPair } from '../../schema/contract/keys';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { DEMO_NETWORK, networkSchema, type NetworkConfig } from '../../schema/contract/network';
import { principalSigner, type Principal } from '../../schema/contract/principal';
import {
  envelopeHash,
  PEER_HEADER,
  PEER_PATH,
  type PeerEnvelope,
  type PeerMessage,
  type PeerReply,
} from './protocol';

const ATTEMPTS = 3;

/** The other city could not be reached, or did not answer in time. */
export class PeerUnavailableError extends Error {
  constructor(
    readonly municipality: MunicipalityCode,
    reason: string,
  ) {
    super(reason);
  }
}

export interface PeerClientOptions {
  city: MunicipalityCode;
  keysDir: string;
  /** The network file; the demo network when absent. */
  networkFile?: string;
  /** @default 5000 */
  timeoutMs?: number;
  /** Told of messages that could not be delivered. */
  log?: Logger;
}

export type SendToPeer = (
  to: MunicipalityCode,
  message: PeerMessage,
  principal: Principal,
  /** The client request's trace id, carried in traceparent to the other city. */
  traceId?: string,
) => Promise<PeerReply>;

export interface PeerClient {
  send: SendToPeer;
  network: () => NetworkConfig;
  close: () => Promise<void>;
}

export async function createPeerClient(options: PeerClientOptions): Promise<PeerClient> {
  const sign = await principalSigner(
    await ensureKeyPair(cityKeyFiles(options.keysDir, options.city)),
    cityIssuer(options.city),
  );
  const timeoutMs = options.timeoutMs ?? 5000;
  const agent = new Agent({ connections: 16, keepAliveTimeout: 30_000, connectTimeout: timeoutMs });
  let cached: { mtimeMs: number; network: NetworkConfig } | undefined;
  const network = (): NetworkConfig => {
    if (!options.networkFile) return DEMO_NETWORK;
    const { mtimeMs } = statSync(options.networkFile);
    if (cached?.mtimeMs !== mtimeMs) {
      cached = {
        mtimeMs,
        network: networkSchema.parse(JSON.parse(readFileSync(options.networkFile, 'utf8'))),
      };
    }
    return cached.network;
  };

  const send: SendToPeer = (to, message, principal, traceId) =>
    // One client span per message, retries included; the other city's server span continues it.
    inSpan(
      `peer ${message.kind}`,
      { kind: SpanKind.CLIENT, attributes: { municipality: to, 'peer.message.kind': message.kind } },
      async (span) => {
        try {
          const reply = await deliver(to, message, principal, traceparentOf(span, traceId));
          span?.setAttribute('outcome', reply.ok ? 'ok' : reply.code);
          return reply;
        } catch (error) {
          if (error instanceof PeerUnavailableError) {
            span?.setAttribute('outcome', 'unavailable');
            options.log?.warn(
              { to, kind: message.kind, reason: error.message, attempts: ATTEMPTS, traceId },
              'peer message failed',
            );
          }
          throw error;
        }
      },
    );

  const deliver = async (
    to: MunicipalityCode,
    message: PeerMessage,
    principal: Principal,
    traceparent: string | undefined,
  ): Promise<PeerReply> => {
    const entry = network().municipalities.find((m) => m.code === to);
    if (!entry) throw new PeerUnavailableError(to, 'not part of this network');
    const envelope: PeerEnvelope = { id: randomUUID(), message };
    const url = `${entry.url.replace(/\/$/, '')}${PEER_PATH}`;
    let reason = 'no answer';
    // A lost answer is not a refusal: the same envelope is sent again, and the
    // other city answers a retry with its first reply instead of applying it twice.
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      try {
        const assertion = await sign({ ...principal, municipality: options.city }, to, {
          jti: envelope.id,
          claims: { envelope: envelopeHash(envelope) },
        });
        const response = await request(url, {
          method: 'POST',
          dispatcher: agent,
          // The city vouches for the message; the person it acts for stays the subject.
          headers: {
            'content-type': 'application/json',
            [PEER_HEADER]: assertion,
            ...(traceparent ? { traceparent } : {}),
          },
          body: JSON.stringify(envelope),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await response.body.json()) as PeerReply;
        if (typeof body === 'object' && body !== null && typeof body.ok === 'boolean') return body;
        reason = `HTTP ${response.statusCode}`;
      } catch (error) {
        // Only a kind of failure: a message could carry internal addresses.
        const code = (error as { code?: unknown } | null)?.code;
        reason =
          error instanceof Error && error.name === 'TimeoutError'
            ? 'timed out'
            : typeof code === 'string'
              ? code
              : 'no answer';
      }
    }
    throw new PeerUnavailableError(to, reason);
  };

  return { send, network, close: () => agent.close() };
}

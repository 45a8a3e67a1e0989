// Talking to other cities: signed by this city, addressed to one city, with a
// timeout. Questions (reads) are asked with a few quick retries; changes are
// handed over once per attempt by the dispatcher, which retries them from the
// outbox. The network file is read when needed, so a city can start before
// the file lists its neighbours' ports.
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { request } from 'undici';
import { cityIssuer } from '../../schema/contract/identity';
import type { TlsSettings } from '../../runtime/environment';
import { cityKeyFiles, signingKey } from '../../runtime/keys';
import type { Logger } from '../../runtime/logger';
import { inSpan, SpanKind, traceparentOf } from '../../runtime/telemetry';
import { NO_TLS, tlsAgent } from '../../runtime/tls';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { DEMO_NETWORK, networkSchema, type NetworkConfig } from '../../schema/contract/network';
import { principalSigner, type Principal, type PrincipalSigner } from '../../schema/contract/principal';
import {
  envelopeHash,
  PEER_HEADER,
  PEER_PATH,
  type PeerEnvelope,
  type PeerReply,
  type ReadMessage,
} from './protocol';

const ATTEMPTS = 3;
/**
 * The largest answer this city reads from another, in bytes, by question: a
 * city that answers more is not read to the end (a hostile city could
 * otherwise fill this process's memory), and the question counts as
 * unanswered. Assumptions, from the largest honest answers:
 * - `digest`: every digest line of a pair, about 140 bytes an assignment, so
 *   64 MiB holds pairs sharing several hundred thousand;
 * - everything else: at most 1 000 signed checkpoint lines (`checkpointsHeld`),
 *   under 1 MiB; the other answers and every reply to a change are a few
 *   hundred bytes. A city answering those cannot make this one hold 64 MiB.
 */
export interface AnswerLimits {
  digest: number;
  other: number;
}
const ANSWER_LIMITS: AnswerLimits = { digest: 64 * 1024 * 1024, other: 4 * 1024 * 1024 };

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
  /** Production only reads the city's key; elsewhere it is created on first start. @default false */
  production?: boolean;
  /** Trusted authorities for `https:` cities, and this city's client certificate. @default plain */
  tls?: TlsSettings;
  /** The largest answer read from another city, in bytes, by question. @default 64 MiB for digests, 4 MiB else */
  answerLimits?: Partial<AnswerLimits>;
}

/** Asks another city a question (a read); its answer, or PeerUnavailableError. */
export type AskPeer = (
  to: MunicipalityCode,
  message: ReadMessage,
  principal: Principal,
  /** The client request's trace id, carried in traceparent to the other city. */
  traceId?: string,
) => Promise<PeerReply>;

export interface PeerClient {
  ask: AskPeer;
  /** One attempt to hand a change to another city, as `originator` (the city itself when null). */
  deliver: (to: MunicipalityCode, envelope: PeerEnvelope, originator: Principal | null) => Promise<PeerReply>;
  network: () => NetworkConfig;
  /** Signs as this city: checkpoints of its logs, which other cities keep. */
  sign: PrincipalSigner;
  close: () => Promise<void>;
}

export async function createPeerClient(options: PeerClientOptions): Promise<PeerClient> {
  const sign = await principalSigner(
    await signingKey(cityKeyFiles(options.keysDir, options.city), options.production ?? false),
    cityIssuer(options.city),
  );
  const timeoutMs = options.timeoutMs ?? 5000;
  const limits = { ...ANSWER_LIMITS, ...options.answerLimits };
  // undici bounds answers per dispatcher: one for digests, one for the rest.
  const agentOf = (maxResponseSize: number) =>
    tlsAgent(options.tls ?? NO_TLS, {
      connections: 16,
      keepAliveTimeout: 30_000,
      connectTimeout: timeoutMs,
      maxResponseSize,
    });
  const digestAgent = agentOf(limits.digest);
  const agent = agentOf(limits.other);
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

  /** One POST of an envelope; a reply, or the kind of failure. */
  const post = async (
    to: MunicipalityCode,
    envelope: PeerEnvelope,
    principal: Principal,
    traceparent: string | undefined,
  ): Promise<PeerReply | { failed: string }> => {
    const entry = network().municipalities.find((m) => m.code === to);
    if (!entry) return { failed: 'not part of this network' };
    const url = `${entry.url.replace(/\/$/, '')}${PEER_PATH}`;
    try {
      const assertion = await sign({ ...principal, municipality: options.city }, to, {
        jti: envelope.id,
        claims: { envelope: envelopeHash(envelope) },
      });
      const response = await request(url, {
        method: 'POST',
        dispatcher: envelope.message.kind === 'digest' ? digestAgent : agent,
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
      return { failed: `HTTP ${response.statusCode}` };
    } catch (error) {
      // Only a kind of failure: a message could carry internal addresses.
      const code = (error as { code?: unknown } | null)?.code;
      return {
        failed:
          error instanceof Error && error.name === 'TimeoutError'
            ? 'timed out'
            : typeof code === 'string'
              ? code
              : 'no answer',
      };
    }
  };

  const traced = (
    to: MunicipalityCode,
    kind: string,
    traceId: string | undefined,
    run: (traceparent: string | undefined) => Promise<PeerReply>,
  ) =>
    // One client span per message, retries included; the other city's server span continues it.
    inSpan(
      `peer ${kind}`,
      { kind: SpanKind.CLIENT, attributes: { municipality: to, 'peer.message.kind': kind } },
      async (span) => {
        try {
          const reply = await run(traceparentOf(span, traceId));
          span?.setAttribute('outcome', reply.ok ? 'ok' : reply.code);
          return reply;
        } catch (error) {
          if (error instanceof PeerUnavailableError) {
            span?.setAttribute('outcome', 'unavailable');
            options.log?.warn({ to, kind, reason: error.message, traceId }, 'peer message failed');
          }
          throw error;
        }
      },
    );

  const ask: AskPeer = (to, message, principal, traceId) =>
    traced(to, message.kind, traceId, async (traceparent) => {
      const envelope: PeerEnvelope = { id: randomUUID(), message };
      let reason = 'no answer';
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        const reply = await post(to, envelope, principal, traceparent);
        if (!('failed' in reply)) return reply;
        reason = reply.failed;
      }
      throw new PeerUnavailableError(to, reason);
    });

  const deliver: PeerClient['deliver'] = (to, envelope, originator) =>
    traced(to, envelope.message.kind, undefined, async (traceparent) => {
      const principal = originator ?? {
        municipality: options.city,
        unit: null,
        subject: 'city',
        permissions: [],
      };
      const reply = await post(to, envelope, principal, traceparent);
      if ('failed' in reply) throw new PeerUnavailableError(to, reply.failed);
      return reply;
    });

  return {
    ask,
    deliver,
    network,
    sign,
    close: async () => void (await Promise.all([agent.close(), digestAgent.close()])),
  };
}

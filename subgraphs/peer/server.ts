// The endpoint other cities write to: the sender must sign as itself with a
// key the network publishes for it, and address this city.
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, type JWTVerifyGetKey } from 'jose';
import type { Request, Response } from 'express';
import { cityIssuer } from '../../schema/contract/identity';
import { readJwks } from '../../schema/contract/keys';
import type { NetworkConfig } from '../../schema/contract/network';
import { peerKeysOf } from '../../schema/contract/network';
import { principalVerifier, type Principal } from '../../schema/contract/principal';
import { appendDisclosure } from '../audit/disclosureLog';
import type { Logger } from '../../schema/contract/logger';
import { observedOf } from '../../schema/contract/observe';
import type { CityConfig } from '../city';
import type { CityDatabase } from '../db/database';
import { handlePeerMessage } from './handlers';
import { envelopeHash, PEER_HEADER, type PeerEnvelope, type PeerReply } from './protocol';

export interface PeerEndpointOptions {
  city: CityConfig;
  db: CityDatabase;
  keysDir: string;
  network: () => NetworkConfig;
  log?: Logger;
}

export function peerEndpoint(options: PeerEndpointOptions) {
  const keys = new Map<string, JWTVerifyGetKey>();
  const keysOf = (code: string): JWTVerifyGetKey | null => {
    const entry = options.network().municipalities.find((m) => m.code === code);
    if (!entry) return null;
    const source = peerKeysOf(entry, options.keysDir);
    if (source.jwksUrl) {
      if (!keys.has(code)) keys.set(code, createRemoteJWKSet(new URL(source.jwksUrl)));
      return keys.get(code)!;
    }
    // Local key files are read on each message: a neighbour may have rotated its key.
    return createLocalJWKSet(readJwks(source.jwksFile!));
  };

  const reply = (res: Response, status: number, body: PeerReply) => res.status(status).json(body);

  return async (req: Request, res: Response) => {
    const observed = observedOf(res);
    const token = req.header(PEER_HEADER);
    const envelope = req.body as Partial<PeerEnvelope> | undefined;
    let sender: string | undefined;
    let principal: Principal;
    try {
      const claims = token ? decodeJwt(token) : undefined;
      sender = options
        .network()
        .municipalities.map((m) => m.code)
        .find((code) => cityIssuer(code) === claims?.iss);
      const keySet = sender ? keysOf(sender) : null;
      if (!token || !claims || !sender || !keySet) throw new Error('unknown sender');
      principal = await principalVerifier(keySet, options.city.code, cityIssuer(sender))(token);
      if (principal.municipality !== sender) throw new Error('sender mismatch');
      // The signature covers this very envelope: an assertion cannot carry another body.
      if (claims.jti !== envelope?.id || claims.envelope !== envelopeHash(envelope as PeerEnvelope)) {
        throw new Error('assertion does not match the message');
      }
    } catch {
      return reply(res, 401, {
        ok: false,
        code: 'UNAUTHENTICATED',
        message: 'Not a message from a city of this network',
      });
    }
    if (typeof envelope?.id !== 'string' || typeof envelope.message?.kind !== 'string') {
      return reply(res, 400, { ok: false, code: 'BAD_USER_INPUT', message: 'Malformed message' });
    }
    observed.caller = sender;
    observed.operation = `peer:${envelope.message.kind}`;
    const seen = await options.db.prisma.peerMessage.findUnique({ where: { id: envelope.id } });
    if (seen) {
      if (seen.sender !== sender || !seen.reply) {
        return reply(res, 409, {
          ok: false,
          code: 'CONFLICT',
          message: 'This message is already being handled',
        });
      }
      return reply(res, 200, JSON.parse(seen.reply) as PeerReply);
    }
    try {
      // Claimed before it is handled, so a retry racing the first delivery is not applied twice.
      await options.db.prisma.peerMessage.create({
        data: { id: envelope.id, sender, kind: envelope.message.kind },
      });
      const answer = await handlePeerMessage(
        { city: options.city, db: options.db, sender },
        envelope.message,
      );
      // A message from another city is a cross-municipal read or write like any other: logged.
      const { kind, ...fields } = envelope.message;
      const assignmentId = 'assignmentId' in envelope.message ? envelope.message.assignmentId : null;
      await appendDisclosure(options.db, {
        at: new Date(),
        municipality: sender,
        unit: principal.unit,
        subject: principal.subject,
        roles: principal.roles,
        operation: `peer:${kind}`,
        kind: 'message',
        assignments: assignmentId ? [assignmentId] : [],
        fields: Object.keys(fields).sort(),
        basis: JSON.stringify({ reply: answer.ok ? 'ok' : answer.code }),
        traceId: observed.traceId,
      });
      await options.db.prisma.peerMessage.update({
        where: { id: envelope.id },
        data: { reply: JSON.stringify(answer) },
      });
      observed.outcome = answer.ok ? 'ok' : 'error';
      if (!answer.ok) observed.codes = [answer.code];
      return reply(res, 200, answer);
    } catch (error) {
      observed.outcome = 'error';
      options.log?.error(
        { err: error, from: sender, kind: envelope.message.kind, traceId: observed.traceId },
        'peer message failed',
      );
      await options.db.prisma.peerMessage
        .deleteMany({ where: { id: envelope.id, reply: null } })
        .catch(() => undefined);
      return reply(res, 500, { ok: false, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
    }
  };
}

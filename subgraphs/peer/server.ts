// The endpoint other cities write to. The sender must sign as itself with a
// key the network publishes for it, address this city, and sign the very
// envelope it sends. A change is checked against the agreement's rules and
// applied, logged and remembered in one transaction: a retry gets the first
// reply, a refusal is recorded and changes nothing, a malformed message is
// refused with MALFORMED_MESSAGE. Questions are answered and logged. What a
// city may ask, and make this one keep, is budgeted per city (budget.ts).
import type { Request, Response } from 'express';
import { decodeJwt, type JWTVerifyGetKey } from 'jose';
import type { Dispatcher } from 'undici';
import { peerKeysOf, watchedJwks } from '../../runtime/keys';
import { remoteJwks } from '../../runtime/remoteJwks';
import type { Logger } from '../../runtime/logger';
import { observedOf } from '../../runtime/observe';
import type { AgreementRecord } from '../../schema/contract/agreements';
import { ErrorCode, peerRefusal } from '../../schema/contract/errors';
import { cityIssuer } from '../../schema/contract/identity';
import { parseId } from '../../schema/contract/ids';
import type { NetworkConfig } from '../../schema/contract/network';
import { partyOf } from '../../schema/contract/parties';
import { principalVerifier, type Principal } from '../../schema/contract/principal';
import { appendDisclosure, appendDisclosuresIn } from '../audit/disclosureLog';
import type { CityConfig } from '../city';
import { stockholmDay } from '../clock';
import type { CityDatabase } from '../db/database';
import { Prisma } from '../db/generated/client';
import { faultPoint } from '../faultPoints';
import { applyAtHome } from '../roles/casework/messages';
import { applyAtReceiving } from '../roles/execution/messages';
import { MessageDeferred, MessageRefused, type ApplyContext } from './apply';
import { commitAndTell, type OutboxDispatcher } from './outbox';
import {
  envelopeHash,
  isChange,
  isCityMessage,
  parseEnvelope,
  PEER_HEADER,
  SENT_BY,
  type ChangeMessage,
  type CityMessage,
  type PeerEnvelope,
  type PeerReply,
  type ReadMessage,
} from './protocol';
import type { KeptKind, PeerBudget } from './budget';
import { answerRead } from './reads';
import { checkpointSignedBy, holdCheckpoint } from '../audit/checkpoints';

export interface PeerEndpointOptions {
  city: CityConfig;
  db: CityDatabase;
  keysDir: string;
  network: () => NetworkConfig;
  agreements: readonly AgreementRecord[];
  dispatcher: OutboxDispatcher;
  /** Told of every message handled: its kind and outcome (applied, refused, malformed, replayed, read). */
  observe?: (kind: string, outcome: string) => void;
  log?: Logger;
  /** The HTTP agent for other cities' JWKS URLs (trusted authorities). */
  http?: Dispatcher;
  /** The cities' public message keys; read from the network as needed when absent. */
  keysOf?: (code: string) => JWTVerifyGetKey | null;
  /** How much each other city may ask and make this one keep; no bound when absent. */
  budget?: PeerBudget;
  /** Most proposals from one city held unanswered at once. @default no bound */
  openProposalsPerCity?: number;
}

interface Sender {
  municipality: string;
  principal: Principal;
}

/** The public message keys of each city of the network, as the network file publishes them. */
export function cityKeySets(
  options: Pick<PeerEndpointOptions, 'network' | 'keysDir' | 'http'>,
): (code: string) => JWTVerifyGetKey | null {
  const keys = new Map<string, JWTVerifyGetKey>();
  return (code) => {
    const entry = options.network().municipalities.find((m) => m.code === code);
    if (!entry) return null;
    const source = peerKeysOf(entry, options.keysDir);
    const key = source.jwksUrl ?? source.jwksFile!;
    let keySet = keys.get(key);
    if (!keySet) {
      // A key file is reread when it changes: a neighbour may have rotated its key.
      keySet = source.jwksUrl
        ? remoteJwks(source.jwksUrl, { dispatcher: options.http })
        : watchedJwks(source.jwksFile!);
      keys.set(key, keySet);
    }
    return keySet;
  };
}

export function peerEndpoint(options: PeerEndpointOptions) {
  const keysOf = options.keysOf ?? cityKeySets(options);

  /** Who signed the request, if a city of this network signed exactly this body for this city. */
  const authenticate = async (req: Request): Promise<Sender | null> => {
    try {
      const token = req.header(PEER_HEADER);
      const claims = token ? decodeJwt(token) : undefined;
      const municipality = options
        .network()
        .municipalities.map((m) => m.code)
        .find((code) => cityIssuer(code) === claims?.iss);
      const keySet = municipality ? keysOf(municipality) : null;
      if (!token || !claims || !municipality || !keySet) return null;
      const principal = await principalVerifier(keySet, options.city.code, cityIssuer(municipality))(token);
      if (principal.municipality !== municipality) return null;
      // The signature covers this very body: an assertion cannot carry another one.
      const body = req.body as { id?: unknown } | undefined;
      if (claims.jti !== body?.id || claims.envelope !== envelopeHash(body as PeerEnvelope)) return null;
      return { municipality, principal };
    } catch {
      return null;
    }
  };

  const reply = (res: Response, status: number, body: PeerReply) => res.status(status).json(body);

  return async (req: Request, res: Response) => {
    const observed = observedOf(res);
    const sender = await authenticate(req);
    if (!sender) {
      options.observe?.('unknown', 'unauthenticated');
      return reply(
        res,
        401,
        peerRefusal(ErrorCode.UNAUTHENTICATED, 'Not a message from a city of this network'),
      );
    }
    observed.caller = sender.municipality;
    const envelope = parseEnvelope(req.body);
    if (!envelope) {
      options.observe?.('unknown', 'malformed');
      return reply(res, 400, peerRefusal(ErrorCode.MALFORMED_MESSAGE, 'Malformed message'));
    }
    const { message } = envelope;
    observed.operation = `peer:${message.kind}`;
    try {
      const answer = isChange(message)
        ? await handleChange(options, sender, envelope.id, message, observed.traceId)
        : isCityMessage(message)
          ? await handleCheckpoint(options, sender, message, keysOf)
          : await handleRead(options, sender, message, observed.traceId);
      observed.outcome = answer.ok ? 'ok' : 'error';
      if (!answer.ok) observed.codes = [answer.code];
      return reply(res, answer.ok ? 200 : (REFUSAL_STATUS[answer.code] ?? 200), answer);
    } catch (error) {
      observed.outcome = 'error';
      options.log?.error(
        { err: error, from: sender.municipality, kind: message.kind, traceId: observed.traceId },
        'peer message failed',
      );
      return reply(res, 500, peerRefusal(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
    }
  };
}

/** Refusals answered with an HTTP status of their own; the rest are answers (200). */
const REFUSAL_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.MESSAGE_IN_PROGRESS]: 409,
  [ErrorCode.QUESTIONS_OVER_BUDGET]: 429,
  [ErrorCode.MESSAGES_OVER_BUDGET]: 429,
};

/** Whether `sender` may make this city keep one more record of `kind`. */
const mayKeep = (options: PeerEndpointOptions, sender: string, kind: KeptKind) =>
  !options.budget || options.budget.takeKept(sender, kind);

/** The refusal of a message past the sender's budget; warned about once a minute a city, and counted. */
function overBudget(options: PeerEndpointOptions, sender: string, kind: KeptKind, message: string) {
  options.observe?.(message, 'over-budget');
  if (options.budget?.firstRefusal(sender))
    options.log?.warn(
      { from: sender, kind: message, over: kind },
      'another city sends more than this city keeps for it; answered later until it has budget again',
    );
  return peerRefusal(
    ErrorCode.MESSAGES_OVER_BUDGET,
    'This city keeps no more of your city’s messages for now; send again later',
  );
}

/** Whether the sender is the party that may say this about the assignment, and this city the other. */
function mayTell(city: string, sender: string, message: ChangeMessage): boolean {
  const id = parseId(message.assignmentId, 'asg');
  if (!id) return false;
  const parties = { homeMunicipality: id.home, receivingMunicipality: id.receiving };
  const senderParty = partyOf(sender, parties);
  const here = partyOf(city, parties);
  if (!senderParty || !here || senderParty === here) return false;
  const allowed = SENT_BY[message.kind];
  return allowed === 'either' || allowed === senderParty;
}

async function handleChange(
  options: PeerEndpointOptions,
  sender: Sender,
  id: string,
  message: ChangeMessage,
  traceId: string,
): Promise<PeerReply> {
  const { db } = options;
  if (!mayTell(options.city.code, sender.municipality, message)) {
    options.observe?.(message.kind, 'refused');
    return peerRefusal(
      ErrorCode.FORBIDDEN,
      `${sender.municipality} may not send ${message.kind} about this assignment`,
    );
  }
  const seen = await db.prisma.peerMessage.findUnique({ where: { id } });
  if (seen) {
    if (seen.sender !== sender.municipality || !seen.reply) {
      return peerRefusal(ErrorCode.MESSAGE_IN_PROGRESS, 'This message is already being handled');
    }
    options.observe?.(message.kind, 'replayed');
    return JSON.parse(seen.reply) as PeerReply;
  }
  // Each new message is kept, applied or refused, with its log entry: a bound on all of them.
  if (!mayKeep(options, sender.municipality, 'changes')) {
    return overBudget(options, sender.municipality, 'changes', message.kind);
  }
  const now = new Date();
  const { kind, ...fields } = message;
  const logEntry = (outcome: string) => ({
    at: now,
    municipality: sender.municipality,
    unit: sender.principal.unit,
    subject: sender.principal.subject,
    permissions: sender.principal.permissions,
    operation: `peer:${kind}`,
    kind: 'message-in',
    assignments: [message.assignmentId],
    fields: Object.keys(fields).sort(),
    basis: JSON.stringify({ reply: outcome }),
    traceId,
  });
  const remember = (tx: Prisma.TransactionClient, answer: PeerReply) =>
    tx.peerMessage.create({
      data: {
        id,
        sender: sender.municipality,
        kind,
        receivedAt: now,
        reply: JSON.stringify(answer),
        outcome: answer.ok ? 'applied' : 'refused',
      },
    });
  const applied: PeerReply = { ok: true };
  try {
    await commitAndTell(
      { db, dispatcher: options.dispatcher, now, principal: null, traceId },
      async (tx, tell) => {
        const ctx: ApplyContext = {
          city: options.city,
          sender: sender.municipality,
          now,
          today: stockholmDay(now),
          agreements: options.agreements,
          openProposalsPerCity: options.openProposalsPerCity ?? Number.POSITIVE_INFINITY,
          tell,
        };
        // The receiving party applies what the home city owns, and the other way round.
        const party = partyOf(options.city.code, {
          homeMunicipality: parseId(message.assignmentId)!.home,
          receivingMunicipality: parseId(message.assignmentId)!.receiving,
        });
        await (party === 'home' ? applyAtHome : applyAtReceiving)(tx, ctx, message);
        // No entry, no change: both commit together.
        await appendDisclosuresIn(tx, [logEntry('ok')]);
        await remember(tx, applied);
      },
    );
  } catch (error) {
    if (isDuplicate(error, 'PeerMessage')) {
      return peerRefusal(ErrorCode.MESSAGE_IN_PROGRESS, 'This message is already being handled');
    }
    if (error instanceof MessageDeferred) {
      options.observe?.(message.kind, 'deferred');
      if (options.budget?.firstRefusal(sender.municipality))
        options.log?.warn({ from: sender.municipality, kind, reason: error.message }, 'a change deferred');
      return peerRefusal(ErrorCode.MESSAGES_OVER_BUDGET, error.message);
    }
    // A record the message would create exists already with other content: refused, not retried.
    const refusal = isDuplicate(error)
      ? peerRefusal(ErrorCode.CONFLICT, 'The message conflicts with what this city holds')
      : error instanceof MessageRefused
        ? error.refusal
        : null;
    if (!refusal) throw error;
    // A city refused without end would fill the logs: past its budget, nothing is kept and it sends again later.
    if (!mayKeep(options, sender.municipality, 'refusals')) {
      return overBudget(options, sender.municipality, 'refusals', kind);
    }
    // Refused: nothing it carried is kept, but the refusal is, with its log entry.
    await db.prisma.$transaction(async (tx) => {
      await appendDisclosuresIn(tx, [logEntry(refusal.code)]);
      await remember(tx, refusal);
    });
    options.observe?.(message.kind, 'refused');
    options.log?.warn(
      {
        from: sender.municipality,
        kind,
        code: refusal.code,
        rules: refusal.rules,
        assignment: message.assignmentId,
      },
      'refused a message from another city',
    );
    return refusal;
  }
  faultPoint(`after-apply:${kind}`);
  options.observe?.(message.kind, 'applied');
  return applied;
}

/**
 * Another city's checkpoint of one of its logs: kept if it carries that
 * city's own signature over what it says. Nothing about anyone, so it is not
 * a disclosure-log entry. A second checkpoint of the same entry with another
 * hash is refused and reported: that city's log has been rewritten.
 */
async function handleCheckpoint(
  options: PeerEndpointOptions,
  sender: Sender,
  message: CityMessage,
  keysOf: (code: string) => JWTVerifyGetKey | null,
): Promise<PeerReply> {
  const { kind: _kind, ...checkpoint } = message;
  const keys = keysOf(sender.municipality);
  const signed =
    keys !== null &&
    (await checkpointSignedBy(
      keys,
      { municipality: sender.municipality, ...checkpoint },
      checkpoint.signature,
    ));
  if (!signed) {
    options.observe?.(message.kind, 'refused');
    return peerRefusal(
      ErrorCode.BAD_USER_INPUT,
      'The checkpoint does not carry the sending city’s signature',
    );
  }
  const outcome = await holdCheckpoint(options.db.prisma, sender.municipality, checkpoint, new Date(), () =>
    mayKeep(options, sender.municipality, 'checkpoints'),
  );
  if (outcome === 'over-budget') return overBudget(options, sender.municipality, 'checkpoints', message.kind);
  if (outcome === 'contradicts') {
    options.observe?.(message.kind, 'refused');
    options.log?.warn(
      { from: sender.municipality, log: checkpoint.log, sequence: checkpoint.sequence },
      'a checkpoint contradicts one held for the same entry: the other city’s log was rewritten',
    );
    return peerRefusal(ErrorCode.CONFLICT, 'A checkpoint of this entry with another hash is held here');
  }
  options.observe?.(message.kind, outcome === 'held' ? 'applied' : 'replayed');
  return { ok: true };
}

async function handleRead(
  options: PeerEndpointOptions,
  sender: Sender,
  message: ReadMessage,
  traceId: string,
): Promise<PeerReply> {
  if (options.budget && !options.budget.takeQuestion(sender.municipality, message)) {
    // Nothing read, so nothing in the disclosure log: a flood of refused questions writes
    // no entries. Operators hear of it once a minute a city, and from the metric.
    options.observe?.(message.kind, 'over-budget');
    if (options.budget.firstRefusal(sender.municipality))
      options.log?.warn(
        { from: sender.municipality, kind: message.kind },
        'another city asks more than its budget of questions; refused until it has budget again',
      );
    return peerRefusal(
      ErrorCode.QUESTIONS_OVER_BUDGET,
      'Your city has asked this one as much as it may for now; ask again later',
    );
  }
  const answer = await answerRead(
    { city: options.city, db: options.db, sender: sender.municipality, now: new Date() },
    message,
  );
  // A question from another city is a cross-municipal read like any other: logged before answering.
  const { kind, ...fields } = message;
  await appendDisclosure(options.db, {
    at: new Date(),
    municipality: sender.municipality,
    unit: sender.principal.unit,
    subject: sender.principal.subject,
    permissions: sender.principal.permissions,
    operation: `peer:${kind}`,
    kind: 'message',
    assignments: [],
    fields: Object.keys(fields).sort(),
    basis: JSON.stringify({ reply: answer.ok ? 'ok' : answer.code }),
    traceId,
  });
  options.observe?.(kind, 'read');
  return answer;
}

/** A unique constraint refused a row (of `model`, when given). */
function isDuplicate(error: unknown, model?: string): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === 'P2002' &&
    (model === undefined || (error.meta as { modelName?: string } | undefined)?.modelName === model)
  );
}

// Calling the other party's city from a resolver: its refusals and its
// absence become the same errors a client would get from it directly.
import {
  conflict,
  forbidden,
  ErrorCode,
  subgraphUnavailable,
  badUserInput,
} from '../../schema/contract/errors';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { CityContext } from '../context';
import { PeerUnavailableError } from './client';
import type { PeerMessage } from './protocol';

export async function callPeer<T = unknown>(
  ctx: CityContext,
  to: MunicipalityCode,
  message: PeerMessage,
): Promise<T> {
  let reply;
  try {
    reply = await ctx.peers(to, message, ctx.principal, ctx.traceId);
  } catch (error) {
    if (error instanceof PeerUnavailableError) throw subgraphUnavailable(to, error.message);
    throw error;
  }
  if (reply.ok) return reply.result as T;
  switch (reply.code) {
    case ErrorCode.CONFLICT:
      throw conflict(`Municipality ${to}: ${reply.message}`, reply.rules ?? [], { municipality: to });
    case ErrorCode.FORBIDDEN:
      throw forbidden(`Municipality ${to}: ${reply.message}`, { municipality: to });
    case ErrorCode.BAD_USER_INPUT:
      throw badUserInput(`Municipality ${to}: ${reply.message}`, { municipality: to });
    default:
      throw subgraphUnavailable(to, reply.message);
  }
}

/** Tells the other city something it should know; a failure is logged, not fatal. */
export async function notifyPeer(
  ctx: CityContext,
  to: MunicipalityCode,
  message: PeerMessage,
): Promise<void> {
  try {
    await callPeer(ctx, to, message);
  } catch (error) {
    // The kind of failure only: the message of a refusal can quote case data.
    ctx.log?.warn(
      { to, kind: message.kind, err: error, traceId: ctx.traceId },
      'could not tell the other city',
    );
  }
}

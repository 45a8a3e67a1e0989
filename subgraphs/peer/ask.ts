// Asking the other party's city a question from a resolver (its offers, the
// costs it bore): its refusals and its absence become the errors a client
// would get from it directly. Changes never go this way: they go through the
// outbox, committed with the change they report.
import {
  badUserInput,
  conflict,
  ErrorCode,
  forbidden,
  subgraphUnavailable,
} from '../../schema/contract/errors';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { CityContext } from '../context';
import { PeerUnavailableError } from './client';
import type { ReadMessage } from './protocol';

export async function askPeer<T = unknown>(
  ctx: CityContext,
  to: MunicipalityCode,
  message: ReadMessage,
): Promise<T> {
  let reply;
  try {
    reply = await ctx.peers.ask(to, message, ctx.principal, ctx.traceId);
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

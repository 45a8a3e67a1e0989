// Talking to a city as another city would, with that city's own key: what a
// compromised or hostile city can send. Nothing here goes through the gateway.
import { randomUUID } from 'node:crypto';
import { cityKeyFiles, readPrivateJwk } from '../../runtime/keys';
import { cityIssuer } from '../../schema/contract/identity';
import { principalSigner } from '../../schema/contract/principal';
import { envelopeHash, PEER_HEADER, PEER_PATH, type PeerReply } from '../../subgraphs/peer/protocol';
import type { TestNetwork } from './network';

export interface PeerAnswer {
  status: number;
  reply: PeerReply;
}

/**
 * Sends `message` from city `from` to city `to`, signed with `from`'s key as a
 * city of the network would. `id` repeats a message; `body` swaps the body
 * after signing (a tampered message).
 */
export async function sendAs(
  network: TestNetwork,
  from: string,
  to: string,
  message: Record<string, unknown>,
  { id = randomUUID(), body }: { id?: string; body?: unknown } = {},
): Promise<PeerAnswer> {
  const sign = await principalSigner(
    readPrivateJwk(cityKeyFiles(network.keysDir, from).privateJwk),
    cityIssuer(from),
  );
  const envelope = { id, message };
  const assertion = await sign({ municipality: from, unit: null, subject: 'hostile', permissions: [] }, to, {
    jti: id,
    claims: { envelope: envelopeHash(envelope as never) },
  });
  const response = await fetch(`${network.cities.get(to)!.url}${PEER_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PEER_HEADER]: assertion },
    body: JSON.stringify(body ?? envelope),
  });
  return { status: response.status, reply: (await response.json()) as PeerReply };
}

import { createHash } from 'node:crypto';
// What cities say to each other about the assignments they share. The city
// that owns a fact changes it; the other party's city learns of it in the
// same request, or the change is undone (see the resolvers), so the two never
// disagree about an assignment for longer than one request.
import type { ErrorCode } from '../../schema/contract/errors';

export type AssignmentStatus =
  'PROPOSED' | 'DECLINED' | 'WITHDRAWN' | 'ACCEPTED' | 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export type PeerMessage =
  /** Home → receiving: a new assignment to answer. */
  | { kind: 'assignmentProposed'; assignmentId: string; proposedAt: string; agreementId: string }
  /** Receiving → home: the answer; home moves the status if it is still PROPOSED. */
  | { kind: 'responseGiven'; assignmentId: string; decision: 'ACCEPT' | 'DECLINE'; respondedAt: string }
  /** Home → receiving: the status changed (withdrawn, completed, terminated). */
  | { kind: 'statusChanged'; assignmentId: string; status: AssignmentStatus; endedOn: string | null }
  /** Receiving → home: the proposed plan is agreed; home answers with its items. */
  | { kind: 'planConfirmed'; assignmentId: string; confirmedAt: string }
  /** Home → receiving: which §6 interventions do you offer? */
  | { kind: 'offers' }
  /** Pair owner → the other: what did you bear, as receiving, for the counterparty's assignments? */
  | { kind: 'costsBorne'; counterparty: string; agreementId: string; from: string; to: string };

export interface PeerEnvelope {
  /**
   * Unique per message and signed with it (the assertion's jti): a retry sends
   * the same id and gets the first reply again; nothing is applied twice.
   */
  id: string;
  message: PeerMessage;
}

/** The SHA-256 of an envelope as sent, signed into the assertion so the body cannot be swapped. */
export const envelopeHash = (envelope: PeerEnvelope) =>
  createHash('sha256').update(JSON.stringify(envelope)).digest('base64url');

export type PeerReply =
  { ok: true; result?: unknown } | { ok: false; code: ErrorCode; message: string; rules?: string[] };

export interface AgreedItem {
  id: string;
  planVersion: number;
  category: string;
  plannedFrom: string;
  plannedTo: string;
  estimatedCost: string;
}

export interface PlanConfirmedResult {
  status: AssignmentStatus;
  items: AgreedItem[];
}

export interface OffersResult {
  categories: string[];
}

export const PEER_HEADER = 'x-peer-assertion';
export const PEER_PATH = '/peer/messages';

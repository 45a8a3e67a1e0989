// What cities say to each other about the assignments they share. The city
// that owns a fact changes it and tells the other party's city in a message
// written in the same transaction (the outbox); the receiver checks every
// message against the agreement's rules on its own clock, applies it once,
// and keeps what the sender claimed (its times) apart from what it decided.
// Reads (offers, costs borne, digests) are answered at once and change nothing.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isIsoDate } from '../../schema/contract/dates';
import { peerRefusal, type ErrorCode, type PeerRefusal } from '../../schema/contract/errors';
import { parseId, type IdKind } from '../../schema/contract/ids';
import type { Party } from '../../schema/contract/parties';
import {
  ASSIGNMENT_STATUSES,
  CANNOT_DELIVER_REASONS,
  CATALOGUE,
  CONSULTATION_ANSWERS,
  DECLINE_REASONS,
  REIMBURSEMENT_SOURCES,
  TERMINATION_REASONS,
} from '../agreement/rules';

const id = (kind: IdKind) =>
  z.string().refine((value) => parseId(value, kind) !== null, `not an id of kind ${kind}`);
const assignmentId = id('asg');
const isoDate = z.string().refine(isIsoDate, 'not an ISO calendar date');
const instant = z.iso.datetime();
const amount = z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, 'not a decimal amount with two decimals');
const version = z.number().int().min(1).max(10_000);

const planItem = z.strictObject({
  id: id('item'),
  category: z.enum(CATALOGUE),
  plannedFrom: isoDate,
  plannedTo: isoDate,
  extent: z.strictObject({
    quantity: z.number().int().min(1).max(10_000),
    unit: z.enum(['HOURS_PER_WEEK', 'SESSIONS_PER_WEEK', 'SESSIONS_PER_MONTH', 'DAYS_IN_TOTAL']),
  }),
  estimatedCost: amount,
});
export type PlanItemMessage = z.infer<typeof planItem>;

const answer = z.strictObject({
  itemId: id('item'),
  answer: z.enum(CONSULTATION_ANSWERS),
  reason: z.enum(CANNOT_DELIVER_REASONS).nullable(),
});

const cost = z.strictObject({
  costId: id('cost'),
  planItemId: id('item'),
  category: z.enum(CATALOGUE),
  date: isoDate,
  gross: amount,
  reimbursed: amount,
  reimbursementSource: z.enum(REIMBURSEMENT_SOURCES).nullable(),
});
export type CostMessage = z.infer<typeof cost>;

/** Details about the person a message carries only while the disclosing city has a basis in force. */
const withheld = z.enum(['MISSING', 'WITHDRAWN', 'EXPIRED']).nullable();

/** Messages that change state: written to the outbox, applied at most once, in order per assignment. */
export const changeSchemas = {
  /** Home → receiving: a new assignment to answer. */
  assignmentProposed: z.object({
    assignmentId,
    agreementId: z.string().min(1).max(200),
    proposedAt: instant,
  }),
  /** Home → receiving: the home city changed the status (by its own decision or on the receiving one's answer). */
  statusChanged: z.object({
    assignmentId,
    event: z.enum(['WITHDRAW', 'ACCEPT', 'DECLINE', 'COMPLETE', 'TERMINATE']),
    /** Why it was terminated: details about the person, null when withheld or not terminated. */
    terminationReason: z.enum(TERMINATION_REASONS).nullable(),
    withheld,
    changedAt: instant,
  }),
  /** Home → receiving: a plan version for the receiving city's consultation answer. */
  planProposed: z.object({
    assignmentId,
    version,
    /** Null when the details were withheld: the basis lapsed before the message left. */
    items: z.array(planItem).min(1).max(100).nullable(),
    withheld,
  }),
  /** Home → receiving: the home city decided a version; these items bind, the assignment is ACTIVE. */
  planDecided: z.object({ assignmentId, version, itemIds: z.array(id('item')).min(1).max(100) }),
  /** Receiving → home: its answer to the proposal. */
  responseGiven: z.object({
    assignmentId,
    decision: z.enum(['ACCEPT', 'DECLINE']),
    declineReason: z.enum(DECLINE_REASONS).nullable(),
    respondedAt: instant,
  }),
  /** Receiving → home: its consultation answer on a proposed version, every item once. */
  planConsulted: z.object({ assignmentId, version, answers: z.array(answer).min(1).max(100) }),
  /** Receiving → home: a cost it bore for an agreed item (again when its reimbursement changes). */
  costReported: z.object({ assignmentId, ...cost.shape }),
  /** Receiving → home: it asks the home city to end the assignment. */
  terminationRequested: z.object({ assignmentId, reason: z.enum(TERMINATION_REASONS) }),
  /** Either → the other: children came into the picture (rule 11), or an alert was acknowledged. */
  childrenAlert: z.object({
    assignmentId,
    alertId: z.string().regex(/^alert:[0-9a-f-]{36}$/),
    action: z.enum(['RAISED', 'ACKNOWLEDGED']),
    /** The party whose act this is. */
    by: z.enum(['home', 'receiving']),
    at: instant,
  }),
  /**
   * Owner → the other, to repair a difference the consistency check found:
   * the owner's facts of one assignment, applied only as far as the rules let
   * the receiver's copy move forward.
   */
  homeState: z.object({
    assignmentId,
    agreementId: z.string().min(1).max(200),
    status: z.enum(ASSIGNMENT_STATUSES),
    proposedAt: instant,
    plans: z
      .array(
        z.strictObject({
          version,
          status: z.enum(['PROPOSED', 'DECIDED', 'SUPERSEDED']),
          items: z.array(planItem).min(1).max(100).nullable(),
          decidedItemIds: z.array(id('item')).max(100),
        }),
      )
      .max(100),
    terminationReason: z.enum(TERMINATION_REASONS).nullable(),
    withheld,
  }),
  receivingState: z.object({
    assignmentId,
    response: z
      .strictObject({
        decision: z.enum(['ACCEPT', 'DECLINE']),
        declineReason: z.enum(DECLINE_REASONS).nullable(),
        respondedAt: instant,
      })
      .nullable(),
    consultations: z.array(z.strictObject({ version, answers: z.array(answer).min(1).max(100) })).max(100),
    costs: z.array(cost).max(10_000),
  }),
} as const;

const LOGS = ['disclosure', 'access'] as const;
export type LogName = (typeof LOGS)[number];
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256 in hex');

/**
 * Messages about a city itself, never about an assignment or a person:
 * written to the outbox like changes, delivered to every other city.
 */
export const citySchemas = {
  /**
   * A checkpoint of one of the sender's logs: its newest entry's sequence and
   * hash at a time, with the sender's own signature over them, which the
   * receiver keeps so a later rewrite of the log shows (audit:verify).
   */
  logCheckpoint: z.object({
    log: z.enum(LOGS),
    sequence: z.number().int().min(1),
    hash,
    at: instant,
    signature: z.string().min(1).max(4000),
  }),
} as const;

/**
 * A digest is split into 256 buckets by the last two hex digits of the
 * assignment id (its uuid's, random), so two cities compare a hash per bucket
 * and exchange lines only for the buckets whose hashes differ. SQL computes
 * the same as `right(id, 2)`.
 */
export const DIGEST_BUCKETS: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);
export const digestBucketOf = (assignmentId: string) => assignmentId.slice(-2);
const digestBucket = z.string().regex(/^[0-9a-f]{2}$/, 'not a digest bucket');
const digestBucketList = z
  .array(digestBucket)
  .min(1)
  .max(DIGEST_BUCKETS.length)
  .refine((list) => new Set(list).size === list.length, 'a digest bucket named twice');

/** Questions answered at once: they change nothing and are not kept. */
export const readSchemas = {
  /** The checkpoints of the asking city's log this city holds, oldest first, after a sequence. */
  checkpointsHeld: z.object({ log: z.enum(LOGS), after: z.number().int().min(0) }),
  /** Which §6 interventions do you offer? */
  offers: z.object({}),
  /**
   * Pair owner → the other: what did you bear, as receiving, for the counterparty's assignments, as
   * you reported it and it was not refused; and what do you hold of the counterparty's reports?
   */
  costsBorne: z.object({
    counterparty: z.string().regex(/^\d{4}$/),
    agreementId: z.string().min(1).max(200),
    from: isoDate,
    to: isoDate,
  }),
  /** A hash per digest bucket of the assignments we share, for the buckets named. */
  digestBuckets: z.object({ buckets: digestBucketList }),
  /** Your digest lines of the assignments we share, in the buckets named (all when absent). */
  digest: z.object({ buckets: digestBucketList.optional() }),
  /** Pair member → the pair owner: is our reconciliation of this period settled? */
  reconciliationSettled: z.object({
    agreementId: z.string().min(1).max(200),
    period: z.number().int().min(1),
  }),
} as const;

export type ChangeKind = keyof typeof changeSchemas;
export type ReadKind = keyof typeof readSchemas;
export type CityKind = keyof typeof citySchemas;
export type MessageKind = ChangeKind | ReadKind | CityKind;

export type ChangeMessage = {
  [K in ChangeKind]: { kind: K } & z.infer<(typeof changeSchemas)[K]>;
}[ChangeKind];
export type CityMessage = { kind: 'logCheckpoint' } & z.infer<typeof citySchemas.logCheckpoint>;
export type ReadMessage =
  | ({ kind: 'checkpointsHeld' } & z.infer<typeof readSchemas.checkpointsHeld>)
  | { kind: 'offers' }
  | ({ kind: 'digestBuckets' } & z.infer<typeof readSchemas.digestBuckets>)
  | ({ kind: 'digest' } & z.infer<typeof readSchemas.digest>)
  | ({ kind: 'costsBorne' } & z.infer<typeof readSchemas.costsBorne>)
  | ({ kind: 'reconciliationSettled' } & z.infer<typeof readSchemas.reconciliationSettled>);
export type PeerMessage = ChangeMessage | ReadMessage | CityMessage;
/** What the outbox carries: changes about an assignment, and messages about the city. */
export type OutgoingMessage = ChangeMessage | CityMessage;

/** Which party may send each change; the receiver refuses it from the other. */
export const SENT_BY: Record<ChangeKind, Party | 'either'> = {
  assignmentProposed: 'home',
  statusChanged: 'home',
  planProposed: 'home',
  planDecided: 'home',
  homeState: 'home',
  responseGiven: 'receiving',
  planConsulted: 'receiving',
  costReported: 'receiving',
  terminationRequested: 'receiving',
  receivingState: 'receiving',
  childrenAlert: 'either',
};

export function isChange(message: PeerMessage): message is ChangeMessage {
  return message.kind in changeSchemas;
}

export function isCityMessage(message: PeerMessage): message is CityMessage {
  return message.kind in citySchemas;
}

const messageSchema = z.discriminatedUnion('kind', [
  ...Object.entries(changeSchemas).map(([kind, schema]) =>
    schema.extend({ kind: z.literal(kind as ChangeKind) }).strict(),
  ),
  ...Object.entries(readSchemas).map(([kind, schema]) =>
    schema.extend({ kind: z.literal(kind as ReadKind) }).strict(),
  ),
  ...Object.entries(citySchemas).map(([kind, schema]) =>
    schema.extend({ kind: z.literal(kind as CityKind) }).strict(),
  ),
] as unknown as [z.ZodObject, ...z.ZodObject[]]);

export const envelopeSchema = z.object({ id: z.uuid(), message: messageSchema }).strict();

export interface PeerEnvelope {
  /**
   * Unique per message and signed with it (the assertion's jti): a retry sends
   * the same id and gets the first reply again; nothing is applied twice.
   */
  id: string;
  message: PeerMessage;
}

/** The envelope when it is one; null for anything malformed. */
export function parseEnvelope(body: unknown): PeerEnvelope | null {
  const parsed = envelopeSchema.safeParse(body);
  return parsed.success ? (parsed.data as unknown as PeerEnvelope) : null;
}

/** The SHA-256 of an envelope as sent, signed into the assertion so the body cannot be swapped. */
export const envelopeHash = (envelope: PeerEnvelope) =>
  createHash('sha256').update(JSON.stringify(envelope)).digest('base64url');

export type PeerReply = { ok: true; result?: unknown } | PeerRefusal;

/**
 * The other city's reply to a change, as the sender keeps it (in its outbox
 * and its log): an acknowledgement, or a refusal's code, a message and rule
 * names, each bounded. Anything else it may have sent is dropped, so a city
 * cannot make another store what it likes by answering.
 */
const changeReplySchema = z.union([
  z.object({ ok: z.literal(true) }).transform(() => ({ ok: true as const })),
  z
    .object({ ok: z.literal(false) })
    .extend({
      code: z.string().min(1).max(64),
      message: z.string().transform((message) => message.slice(0, 500)),
      // At most 50 kept: one per broken rule and item can be many more, and the refusal must still count.
      rules: z
        .array(z.string().max(64))
        .transform((rules) => rules.slice(0, 50))
        .optional(),
    })
    // A code this version does not know stays as it came: the dispatcher retries what it cannot read as final.
    .transform(({ code, message, rules }) => peerRefusal(code as ErrorCode, message, rules)),
]);

/** The reply as it is kept, or null when it is not a reply to a change. */
export function keptChangeReply(reply: unknown): PeerReply | null {
  const parsed = changeReplySchema.safeParse(reply);
  return parsed.success ? parsed.data : null;
}

export interface OffersResult {
  categories: string[];
}

/** A checkpoint as its holder keeps it. */
export interface HeldCheckpointLine {
  log: LogName;
  sequence: number;
  hash: string;
  at: string;
  signature: string;
}

export interface CheckpointsHeldResult {
  checkpoints: HeldCheckpointLine[];
}

/** One line of a city's digest: the facts of a shared assignment both cities hold. */
const digestLine = z.strictObject({
  assignmentId,
  status: z.enum(ASSIGNMENT_STATUSES),
  /** The decided plan version; 0 before a decision. */
  planVersion: z.number().int().min(0).max(10_000),
  /** Gross costs the receiving city bore, as a decimal string. */
  costTotal: z.string().regex(/^-?\d{1,16}\.\d{2}$/),
  /** The answering city has changes about it it has not yet delivered: it is catching up. */
  pending: z.boolean(),
});
export type DigestLine = z.infer<typeof digestLine>;

/** One bucket of a city's digest: how many lines it holds and the SHA-256 of them, in id order. */
const digestBucketHash = z.strictObject({
  bucket: digestBucket,
  count: z.number().int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DigestBucket = z.infer<typeof digestBucketHash>;

/**
 * The answers to the digest questions, checked before they are compared: a
 * city that answers something else is told apart from one that disagrees.
 * Bounded, so an answer cannot make this city hold more than the pair could
 * share.
 */
export const digestBucketsResultSchema = z.strictObject({
  buckets: z.array(digestBucketHash).max(DIGEST_BUCKETS.length),
});
export type DigestBucketsResult = z.infer<typeof digestBucketsResultSchema>;
export const digestResultSchema = z.strictObject({ lines: z.array(digestLine).max(1_000_000) });
export type DigestResult = z.infer<typeof digestResultSchema>;

export const PEER_HEADER = 'x-peer-assertion';
export const PEER_PATH = '/peer/messages';

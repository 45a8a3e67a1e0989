// Convergence checked, not assumed: each city compares, with each city it
// shares assignments with, a digest of the facts both hold (status, decided
// plan version, costs), and repairs from the city that owns each fact: the
// home city owns the status and the plan, the receiving city the costs. A
// repair is a state message through the outbox, applied by the other city
// only as far as its rules let its copy move forward. Assignments either
// side is still delivering changes about are catching up, not different.
//
// The comparison costs what differs, not what exists: the cities first trade
// a hash per digest bucket (protocol.ts), then lines for the buckets whose
// hashes differ. The periodic check sweeps the buckets a slice at a time, so
// its database work per run is a fraction of what the pair shares; the first
// run after start, and every comparison asked for by hand, covers them all.
//
// The other city's answers only ever lead this city to send facts it owns,
// about assignments the two share: a city that lies about its digest can
// deny itself repairs, not change anything here.
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../../runtime/logger';
import { parseId } from '../../schema/contract/ids';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { Principal } from '../../schema/contract/principal';
import { ErrorCode } from '../../schema/contract/errors';
import { stockholmDay } from '../clock';
import type { CityDatabase } from '../db/database';
import { Prisma, type PrismaClient } from '../db/generated/client';
import { homeStateOf, sentDigestLines } from '../roles/casework/state';
import { receivedDigestLines, receivingStateOf } from '../roles/execution/state';
import { PeerUnavailableError, type AskPeer } from './client';
import { commitAndTell, type OutboxDispatcher } from './outbox';
import {
  DIGEST_BUCKETS,
  digestBucketOf,
  digestBucketsResultSchema,
  digestResultSchema,
  type ChangeMessage,
  type DigestBucket,
  type DigestLine,
  type ReadMessage,
} from './protocol';

type Reader = PrismaClient | Prisma.TransactionClient;

/** This city's lines of what it shares with `counterparty`, narrowed to `buckets`. */
function linesIn(counterparty: MunicipalityCode, buckets: readonly string[]): Prisma.Sql {
  const narrowed =
    buckets.length === DIGEST_BUCKETS.length
      ? Prisma.empty
      : Prisma.sql`WHERE right(l."assignmentId", 2) = ANY(${[...buckets]})`;
  return Prisma.sql`
    SELECT * FROM (${sentDigestLines(counterparty)} UNION ALL ${receivedDigestLines(counterparty)}) l
    ${narrowed}`;
}

/** Every assignment this city shares with `counterparty` in `buckets`, from this city's records. */
export async function digestWith(
  db: Reader,
  counterparty: MunicipalityCode,
  buckets: readonly string[] = DIGEST_BUCKETS,
): Promise<DigestLine[]> {
  const [lines, pending] = await Promise.all([
    db.$queryRaw<Omit<DigestLine, 'pending'>[]>(linesIn(counterparty, buckets)),
    db.outboxMessage.findMany({
      where: { recipient: counterparty, deliveredAt: null },
      select: { assignmentId: true },
      distinct: ['assignmentId'],
    }),
  ]);
  const catchingUp = new Set(pending.map((p) => p.assignmentId));
  return lines
    .map((line): DigestLine => ({ ...line, pending: catchingUp.has(line.assignmentId) }))
    .sort((a, b) => (a.assignmentId < b.assignmentId ? -1 : 1));
}

/**
 * A hash per non-empty bucket, over its lines in id order, each line its
 * facts joined by spaces. Byte order ("C"), so two cities holding the same
 * facts hash alike whatever their databases' collations. Whether a change is
 * on its way is left out: a bucket with one differs anyway while it travels,
 * and its lines say so.
 */
export function digestBucketsWith(
  db: Reader,
  counterparty: MunicipalityCode,
  buckets: readonly string[] = DIGEST_BUCKETS,
): Promise<DigestBucket[]> {
  return db.$queryRaw<DigestBucket[]>`
    SELECT right(l."assignmentId", 2) AS bucket,
           count(*)::int AS count,
           encode(sha256(convert_to(string_agg(
             concat_ws(' ', l."assignmentId", l.status, l."planVersion", l."costTotal"), E'\n'
             ORDER BY l."assignmentId" COLLATE "C"), 'UTF8')), 'hex') AS hash
    FROM (${linesIn(counterparty, buckets)}) l
    GROUP BY 1`;
}

/** The buckets, among those compared, whose hashes differ or that only one side holds lines in. */
export function differingBuckets(
  compared: readonly string[],
  ours: readonly DigestBucket[],
  theirs: readonly DigestBucket[],
): string[] {
  const hashes = (side: readonly DigestBucket[]) => new Map(side.map((b) => [b.bucket, b.hash]));
  const [a, b] = [hashes(ours), hashes(theirs)];
  return compared.filter((bucket) => a.get(bucket) !== b.get(bucket));
}

export type DigestField = 'missing' | 'status' | 'planVersion' | 'costTotal';

export interface Difference {
  assignmentId: string;
  fields: DigestField[];
}

export interface PairComparison {
  counterparty: MunicipalityCode;
  agreeing: number;
  catchingUp: number;
  differences: Difference[];
}

/** Compares two digests of the same pair: differences, with the fields that differ. */
export function compareDigests(
  counterparty: MunicipalityCode,
  ours: readonly DigestLine[],
  theirs: readonly DigestLine[],
): PairComparison {
  const theirsById = new Map(theirs.map((line) => [line.assignmentId, line]));
  const ids = [...new Set([...ours.map((l) => l.assignmentId), ...theirs.map((l) => l.assignmentId)])].sort();
  const oursById = new Map(ours.map((line) => [line.assignmentId, line]));
  const result: PairComparison = { counterparty, agreeing: 0, catchingUp: 0, differences: [] };
  for (const id of ids) {
    const a = oursById.get(id);
    const b = theirsById.get(id);
    if (a?.pending || b?.pending) {
      result.catchingUp += 1;
      continue;
    }
    const fields: DigestField[] = [];
    if (!a || !b) fields.push('missing');
    else {
      if (a.status !== b.status) fields.push('status');
      if (a.planVersion !== b.planVersion) fields.push('planVersion');
      if (a.costTotal !== b.costTotal) fields.push('costTotal');
    }
    if (fields.length === 0) result.agreeing += 1;
    else result.differences.push({ assignmentId: id, fields });
  }
  return result;
}

/** The buckets of one periodic comparison: `width` of them from `start`, wrapping around. */
export function bucketSlice(start: number, width: number): string[] {
  const count = Math.min(Math.max(1, width), DIGEST_BUCKETS.length);
  return Array.from({ length: count }, (_, i) => DIGEST_BUCKETS[(start + i) % DIGEST_BUCKETS.length]!);
}

/** What the periodic checker reports of one comparison. */
export interface ComparisonObserved {
  /** Differences in the buckets just compared. */
  found: number;
  /** Differences standing in every bucket, each as last compared. */
  standing: number;
  repaired: number;
}

export interface ConsistencyOptions {
  city: MunicipalityCode;
  db: CityDatabase;
  ask: AskPeer;
  dispatcher: OutboxDispatcher;
  /** Every other municipality of the network. */
  counterparties: () => MunicipalityCode[];
  /** Buckets each periodic comparison covers, of 256. @default 256 */
  bucketsPerCheck?: number;
  /** Told of each comparison with a counterparty. */
  observe?: (counterparty: MunicipalityCode, observed: ComparisonObserved) => void;
  log?: Logger;
}

/** Differences logged one by one per comparison; the rest are counted. */
const LOGGED_DIFFERENCES = 20;
/** How long an acknowledged repair is not sent again while the other city's digest still differs. */
const REPAIR_AGAIN_AFTER_MS = 60 * 60_000;

const CITY: Omit<Principal, 'municipality'> = { unit: null, subject: 'consistency-check', permissions: [] };

export interface ConsistencyChecker {
  /**
   * Compares with one counterparty, over every bucket unless `buckets` narrows
   * it; repairs what this city owns when `repair` is set.
   */
  compare(
    counterparty: MunicipalityCode,
    options?: { repair?: boolean; buckets?: readonly string[] },
  ): Promise<PairComparison>;
  /** The periodic check: the next slice with every counterparty, repairing; true when every one answered. */
  checkAll(): Promise<boolean>;
}

export function consistencyChecker(options: ConsistencyOptions): ConsistencyChecker {
  const { city, db, log } = options;
  const width = Math.min(
    DIGEST_BUCKETS.length,
    Math.max(1, Math.floor(options.bucketsPerCheck ?? DIGEST_BUCKETS.length)),
  );
  const principal: Principal = { ...CITY, municipality: city };
  /** Per counterparty, where the sweep goes on; absent until a comparison covered every bucket. */
  const sweep = new Map<MunicipalityCode, number>();
  /** Per counterparty, the differences each bucket held when last compared. */
  const standing = new Map<MunicipalityCode, Map<string, number>>();

  const ask = async (counterparty: MunicipalityCode, message: ReadMessage) => {
    const reply = await options.ask(counterparty, message, principal);
    if (!reply.ok) throw new DigestRefused(counterparty, reply.code);
    return reply.result;
  };

  /** Their hashes; null from a city that does not know the question (one running an older version). */
  const theirBuckets = async (counterparty: MunicipalityCode, buckets: readonly string[]) => {
    try {
      const answer = digestBucketsResultSchema.safeParse(
        await ask(counterparty, { kind: 'digestBuckets', buckets: [...buckets] }),
      );
      if (!answer.success) throw new Error(`${counterparty} answered a malformed digest`);
      return answer.data.buckets;
    } catch (error) {
      if (error instanceof DigestRefused && error.code === ErrorCode.MALFORMED_MESSAGE) return null;
      throw error;
    }
  };

  /** Their lines in `buckets`, about assignments of this pair only: anything else is not theirs to tell. */
  const theirLines = async (
    counterparty: MunicipalityCode,
    buckets: readonly string[],
    everything: boolean,
  ) => {
    const answer = digestResultSchema.safeParse(
      await ask(counterparty, everything ? { kind: 'digest' } : { kind: 'digest', buckets: [...buckets] }),
    );
    if (!answer.success) throw new Error(`${counterparty} answered a malformed digest`);
    const wanted = new Set(buckets);
    const pair = new Set([city, counterparty]);
    return answer.data.lines.filter((line) => {
      const id = parseId(line.assignmentId, 'asg');
      return (
        id !== null &&
        id.home !== id.receiving &&
        pair.has(id.home) &&
        pair.has(id.receiving) &&
        wanted.has(digestBucketOf(line.assignmentId))
      );
    });
  };

  /**
   * Whether the same repair waits to be sent, or was acknowledged within the
   * hour: sending it again would change nothing there. A city whose digest
   * keeps differing (one that lies, or cannot apply what it is sent) gets
   * each repair once an hour, not once a check, so its answers cannot fill
   * this city's outbox; one that lost what it had still gets it again.
   */
  const sentAlready = async (
    tx: Prisma.TransactionClient,
    to: MunicipalityCode,
    message: ChangeMessage,
    now: Date,
  ) => {
    if (!('assignmentId' in message)) return false;
    const last = await tx.outboxMessage.findFirst({
      where: { recipient: to, assignmentId: message.assignmentId, kind: message.kind },
      orderBy: { sequence: 'desc' },
    });
    if (!last || !isDeepStrictEqual(last.payload, JSON.parse(JSON.stringify(message)))) return false;
    return last.deliveredAt === null || now.getTime() - last.deliveredAt.getTime() < REPAIR_AGAIN_AFTER_MS;
  };

  const repair = async (counterparty: MunicipalityCode, differences: Difference[], theirs: DigestLine[]) => {
    const now = new Date();
    const today = stockholmDay(now);
    const theirsById = new Map(theirs.map((l) => [l.assignmentId, l]));
    let repaired = 0;
    await commitAndTell(
      { db, dispatcher: options.dispatcher, now, principal: null, traceId: '0'.repeat(32) },
      async (tx, tell) => {
        for (const { assignmentId, fields } of differences) {
          const home = parseId(assignmentId, 'asg')?.home === city;
          // Each side repairs only the facts it owns: the home city the
          // assignment, its status and plan; the receiving city its costs.
          const owned = home
            ? fields.includes('status') ||
              fields.includes('planVersion') ||
              (fields.includes('missing') && !theirsById.has(assignmentId))
            : fields.includes('costTotal');
          if (!owned) continue;
          const message = home
            ? await homeStateOf(tx, assignmentId, today)
            : await receivingStateOf(tx, assignmentId);
          if (!message || (await sentAlready(tx, counterparty, message, now))) continue;
          tell({ to: counterparty, message, disclosesDetails: home, basis: home ? 'REPAIR' : 'NO_DETAILS' });
          repaired += 1;
        }
      },
    );
    return repaired;
  };

  /** Remembers what each compared bucket held; the differences standing across all of them. */
  const remember = (
    counterparty: MunicipalityCode,
    buckets: readonly string[],
    differences: Difference[],
  ) => {
    const known = standing.get(counterparty) ?? new Map<string, number>();
    standing.set(counterparty, known);
    for (const bucket of buckets) known.delete(bucket);
    for (const { assignmentId } of differences) {
      const bucket = digestBucketOf(assignmentId);
      known.set(bucket, (known.get(bucket) ?? 0) + 1);
    }
    return [...known.values()].reduce((sum, n) => sum + n, 0);
  };

  const compare: ConsistencyChecker['compare'] = async (
    counterparty,
    { repair: mend = false, buckets = DIGEST_BUCKETS } = {},
  ) => {
    const [ours, theirs] = await Promise.all([
      digestBucketsWith(db.prisma, counterparty, buckets),
      theirBuckets(counterparty, buckets),
    ]);
    // A city that does not know bucket hashes is asked for all its lines, as before them.
    const differing = theirs ? differingBuckets(buckets, ours, theirs) : [...buckets];
    const differingSet = new Set(differing);
    const agreeingElsewhere = ours
      .filter((b) => !differingSet.has(b.bucket))
      .reduce((n, b) => n + b.count, 0);
    let comparison: PairComparison = { counterparty, agreeing: 0, catchingUp: 0, differences: [] };
    let theirLinesCompared: DigestLine[] = [];
    if (differing.length > 0) {
      const [ourLines, lines] = await Promise.all([
        digestWith(db.prisma, counterparty, differing),
        theirLines(counterparty, differing, theirs === null),
      ]);
      theirLinesCompared = lines;
      comparison = compareDigests(counterparty, ourLines, lines);
    }
    comparison.agreeing += agreeingElsewhere;
    let repaired = 0;
    if (mend && comparison.differences.length > 0)
      repaired = await repair(counterparty, comparison.differences, theirLinesCompared);
    // Ids and field names only: nothing about the person. A few of them, and how many more:
    // a city that answers with made-up lines cannot flood this city's log.
    for (const difference of comparison.differences.slice(0, LOGGED_DIFFERENCES)) {
      log?.warn(
        { counterparty, assignment: difference.assignmentId, fields: difference.fields },
        'cities disagree',
      );
    }
    if (comparison.differences.length > LOGGED_DIFFERENCES)
      log?.warn(
        { counterparty, more: comparison.differences.length - LOGGED_DIFFERENCES },
        'cities disagree about more assignments',
      );
    options.observe?.(counterparty, {
      found: comparison.differences.length,
      standing: remember(counterparty, buckets, comparison.differences),
      repaired,
    });
    return comparison;
  };

  return {
    compare,
    async checkAll() {
      let everyOne = true;
      for (const counterparty of options.counterparties()) {
        const start = sweep.get(counterparty);
        const next = start === undefined ? 0 : (start + width) % DIGEST_BUCKETS.length;
        // Buckets that held differences are looked at again each time, until they agree:
        // a repair shows as done within a check, not a sweep.
        const differing = [...(standing.get(counterparty)?.keys() ?? [])];
        const buckets =
          start === undefined ? DIGEST_BUCKETS : [...new Set([...bucketSlice(start, width), ...differing])];
        try {
          await compare(counterparty, { repair: true, buckets });
          sweep.set(counterparty, next);
        } catch (error) {
          everyOne = false;
          // A city that did not answer, or not yet (its budget of questions spent), is asked
          // the same again soon. One that answered something unusable does not hold the
          // sweep up: its slice comes round again.
          const later =
            error instanceof PeerUnavailableError ||
            (error instanceof DigestRefused && error.code === ErrorCode.QUESTIONS_OVER_BUDGET);
          if (!later) sweep.set(counterparty, next);
          log?.info(
            { counterparty, reason: error instanceof Error ? error.message : String(error) },
            'consistency check skipped',
          );
        }
      }
      return everyOne;
    },
  };
}

class DigestRefused extends Error {
  constructor(
    counterparty: MunicipalityCode,
    readonly code: string,
  ) {
    super(`${counterparty} refused the digest: ${code}`);
  }
}

// Comparing this city's logs with the checkpoints the other cities hold of
// them (see checkpoints.ts). Each held checkpoint must carry this city's own
// signature (a holder cannot make one up) and name an entry that is still in
// the log with the same hash. The first one that does not is what an auditor
// needs: which entry, which city holds the proof.
import type { JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { CityDatabase } from '../db/database';
import {
  citySchemas,
  type HeldCheckpointLine,
  type LogName,
  type PeerReply,
  type ReadMessage,
} from '../peer/protocol';
import { checkpointSignedBy, LOG_NAMES } from './checkpoints';

export type CheckpointStatus = 'MATCHES' | 'DIFFERS' | 'MISSING' | 'UNVERIFIED';

export interface ComparedCheckpoint {
  sequence: number;
  hash: string;
  at: Date;
  status: CheckpointStatus;
  /** The hash of the entry with that sequence here, if there is one. */
  hashHere: string | null;
}

export interface CheckpointComparison {
  holder: string;
  log: LogName;
  /** Checkpoints the holder has of this log. */
  checked: number;
  /** The lowest checkpoint that does not match; null when all do. */
  firstMismatch: ComparedCheckpoint | null;
  /** Why the holder could not be asked; null when it answered. */
  error: string | null;
}

export interface CompareOptions {
  city: MunicipalityCode;
  db: CityDatabase;
  holders: readonly string[];
  /** Asks a holder a question through the peer protocol. */
  ask: (holder: string, message: ReadMessage) => Promise<PeerReply>;
  /** This city's own public message keys. */
  ownKeys: JWTVerifyGetKey | null;
}

const TABLES: Record<LogName, string> = { disclosure: 'disclosure_log', access: 'case_access_log' };

/**
 * The holder's checkpoints of `log`, a page at a time, each page checked to
 * be checkpoints of that log in rising order: a holder that answers anything
 * else, or the same page again, is an error, not a loop without end.
 */
async function* heldBy(
  options: CompareOptions,
  holder: string,
  log: LogName,
): AsyncGenerator<HeldCheckpointLine[]> {
  let after = 0;
  for (;;) {
    const reply = await options.ask(holder, { kind: 'checkpointsHeld', log, after });
    if (!reply.ok) throw new Error(`${holder} refused: ${reply.code}`);
    const page = heldPage(reply.result, log, after);
    if (!page) throw new Error(`${holder} answered with something other than its checkpoints in order`);
    yield page;
    if (page.length < HELD_PAGE) return;
    after = page.at(-1)!.sequence;
  }
}

const HELD_PAGE = 1000;
const heldPageSchema = z.object({ checkpoints: z.array(citySchemas.logCheckpoint).max(HELD_PAGE) });

function heldPage(result: unknown, log: LogName, after: number): HeldCheckpointLine[] | null {
  const parsed = heldPageSchema.safeParse(result);
  if (!parsed.success) return null;
  const lines = parsed.data.checkpoints;
  const inOrder = lines.every(
    (line, i) => line.log === log && line.sequence > (i === 0 ? after : lines[i - 1]!.sequence),
  );
  return inOrder ? lines : null;
}

async function statusOf(
  options: CompareOptions,
  checkpoint: HeldCheckpointLine,
): Promise<{ status: CheckpointStatus; hashHere: string | null }> {
  const [row] = await options.db.query<{ hash: string }>(
    `SELECT "hash" FROM "${TABLES[checkpoint.log]}" WHERE "sequence" = $1`,
    [checkpoint.sequence],
  );
  const hashHere = row?.hash ?? null;
  const signed =
    options.ownKeys !== null &&
    (await checkpointSignedBy(
      options.ownKeys,
      { municipality: options.city, ...checkpoint },
      checkpoint.signature,
    ));
  if (!signed) return { status: 'UNVERIFIED', hashHere };
  if (hashHere === null) return { status: 'MISSING', hashHere };
  return { status: hashHere === checkpoint.hash ? 'MATCHES' : 'DIFFERS', hashHere };
}

/** A failure reading this city's own log: not the holder's error, so it is thrown, not reported. */
class OwnLogFailure extends Error {}

export async function compareWithHolders(options: CompareOptions): Promise<CheckpointComparison[]> {
  const results: CheckpointComparison[] = [];
  for (const holder of options.holders) {
    for (const log of LOG_NAMES) {
      let checked = 0;
      let firstMismatch: ComparedCheckpoint | null = null;
      try {
        // Up to the first that does not match: what follows it cannot be vouched for anyway.
        pages: for await (const page of heldBy(options, holder, log)) {
          for (const checkpoint of page) {
            checked += 1;
            const { status, hashHere } = await statusOf(options, checkpoint).catch((cause: unknown) => {
              throw new OwnLogFailure('This city could not read its own log', { cause });
            });
            if (status === 'MATCHES') continue;
            firstMismatch = { ...checkpoint, at: new Date(checkpoint.at), status, hashHere };
            break pages;
          }
        }
      } catch (error) {
        if (error instanceof OwnLogFailure) throw error.cause;
        results.push({ holder, log, checked, firstMismatch: null, error: (error as Error).message });
        continue;
      }
      results.push({ holder, log, checked, firstMismatch, error: null });
    }
  }
  return results;
}

// Comparing this city's logs with the checkpoints the other cities hold of
// them (see checkpoints.ts). Each held checkpoint must carry this city's own
// signature (a holder cannot make one up) and name an entry that is still in
// the log with the same hash. The first one that does not is what an auditor
// needs: which entry, which city holds the proof.
import type { JWTVerifyGetKey } from 'jose';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { CityDatabase } from '../db/database';
import type {
  CheckpointsHeldResult,
  HeldCheckpointLine,
  LogName,
  PeerReply,
  ReadMessage,
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

async function heldBy(options: CompareOptions, holder: string, log: LogName): Promise<HeldCheckpointLine[]> {
  const all: HeldCheckpointLine[] = [];
  for (;;) {
    const reply = await options.ask(holder, {
      kind: 'checkpointsHeld',
      log,
      after: all.at(-1)?.sequence ?? 0,
    });
    if (!reply.ok) throw new Error(`${holder} refused: ${reply.code}`);
    const page = (reply.result as CheckpointsHeldResult).checkpoints;
    all.push(...page);
    if (page.length < 1000) return all;
  }
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

export async function compareWithHolders(options: CompareOptions): Promise<CheckpointComparison[]> {
  const results: CheckpointComparison[] = [];
  for (const holder of options.holders) {
    for (const log of LOG_NAMES) {
      let held: HeldCheckpointLine[];
      try {
        held = await heldBy(options, holder, log);
      } catch (error) {
        results.push({ holder, log, checked: 0, firstMismatch: null, error: (error as Error).message });
        continue;
      }
      let firstMismatch: ComparedCheckpoint | null = null;
      for (const checkpoint of held) {
        const { status, hashHere } = await statusOf(options, checkpoint);
        if (status === 'MATCHES') continue;
        firstMismatch = { ...checkpoint, at: new Date(checkpoint.at), status, hashHere };
        break;
      }
      results.push({ holder, log, checked: held.length, firstMismatch, error: null });
    }
  }
  return results;
}

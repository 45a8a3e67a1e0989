// Checkpoints of a city's logs that the other cities hold. Hash chains show a
// careless edit, but the city's own administrator, who owns the tables, can
// rewrite an entry and hash the chain again. So each city signs, now and
// then, its logs' newest sequence and hash with its message key and sends
// that to every other city (through the outbox, so it is delivered however
// long a city is down). The others keep what they receive. A rewrite of
// anything before a checkpoint then no longer matches what another city
// holds, and that city can show the city's own signature over the old head.
// A checkpoint says nothing about anyone: a count and a hash.
import { randomUUID } from 'node:crypto';
import { importJWK, jwtVerify, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../../runtime/logger';
import { cityIssuer, SIGNING_ALG } from '../../schema/contract/identity';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { CityDatabase } from '../db/database';
import type { PrismaClient } from '../db/generated/client';
import { commitAndTell, type OutboxDispatcher } from '../peer/outbox';
import type { CityMessage, HeldCheckpointLine, LogName } from '../peer/protocol';

export const LOG_NAMES: readonly LogName[] = ['disclosure', 'access'];

const TABLES: Record<LogName, string> = { disclosure: 'disclosure_log', access: 'case_access_log' };

/** What a checkpoint's own signature covers. */
export interface CheckpointClaims {
  municipality: string;
  log: LogName;
  sequence: number;
  hash: string;
  /** ISO instant. */
  at: string;
}

const TYPE = 'avhoppare-log-checkpoint+jwt';

/** Signs a checkpoint with the city's message key; no expiry: it is evidence, kept. */
export async function signCheckpoint(privateJwk: JWK, claims: CheckpointClaims): Promise<string> {
  const key = await importJWK(privateJwk, SIGNING_ALG);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: privateJwk.kid, typ: TYPE })
    .setIssuer(cityIssuer(claims.municipality))
    .setIssuedAt(new Date(claims.at))
    .sign(key);
}

/** Whether `signature` is the city's signature over exactly these claims. */
export async function checkpointSignedBy(
  keys: JWTVerifyGetKey,
  claims: CheckpointClaims,
  signature: string,
): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(signature, keys, {
      issuer: cityIssuer(claims.municipality),
      algorithms: [SIGNING_ALG],
      typ: TYPE,
    });
    return (
      payload.municipality === claims.municipality &&
      payload.log === claims.log &&
      payload.sequence === claims.sequence &&
      payload.hash === claims.hash &&
      payload.at === claims.at
    );
  } catch {
    return false;
  }
}

interface Head {
  sequence: number;
  hash: string;
}

async function headOf(db: CityDatabase, log: LogName): Promise<Head | null> {
  const [row] = await db.query<Head>(
    `SELECT "sequence", "hash" FROM "${TABLES[log]}" ORDER BY "sequence" DESC LIMIT 1`,
  );
  return row ? { sequence: Number(row.sequence), hash: row.hash } : null;
}

export interface CheckpointOptions {
  city: MunicipalityCode;
  db: CityDatabase;
  /** This city's message-signing key. */
  privateJwk: JWK;
  /** Every other city of the network, at the moment of the checkpoint. */
  counterparties: () => string[];
  dispatcher: OutboxDispatcher;
  /** A checkpoint once this many entries were added since the last one... */
  everyEntries: number;
  /** ... or once this long has passed with new entries. */
  intervalMs: number;
  log?: Logger;
  now?: () => Date;
}

export interface Checkpoints {
  /** Signs and sends a checkpoint of every log that is due; resolves when they are in the outbox. */
  check(options?: { force?: boolean }): Promise<void>;
  stop(): void;
}

/** How often the city looks whether a checkpoint is due: cheap, two small queries per log. */
const LOOK_EVERY_MS = 2000;

export function startCheckpoints(options: CheckpointOptions): Checkpoints {
  const { db, city } = options;
  const now = options.now ?? (() => new Date());

  async function checkLog(log: LogName, force: boolean): Promise<void> {
    const head = await headOf(db, log);
    if (!head) return;
    const last = await db.prisma.logCheckpoint.findFirst({ where: { log }, orderBy: { sequence: 'desc' } });
    if (last && last.sequence >= head.sequence) return;
    if (!force) {
      const [{ added, since }] = (await db.query<{ added: number; since: Date }>(
        `SELECT count(*)::int AS added, min("at") AS since FROM "${TABLES[log]}" WHERE "sequence" > $1`,
        [last?.sequence ?? 0],
      )) as [{ added: number; since: Date }];
      const waited = now().getTime() - (last?.at ?? new Date(since)).getTime();
      if (added < options.everyEntries && waited < options.intervalMs) return;
    }
    const at = now();
    const claims: CheckpointClaims = { municipality: city, log, ...head, at: at.toISOString() };
    const signature = await signCheckpoint(options.privateJwk, claims);
    const message: CityMessage = { kind: 'logCheckpoint', log, ...head, at: claims.at, signature };
    await commitAndTell(
      {
        db,
        dispatcher: options.dispatcher,
        now: at,
        principal: null,
        traceId: randomUUID().replaceAll('-', ''),
      },
      async (tx, tell) => {
        await tx.logCheckpoint.create({ data: { log, ...head, at, signature } });
        for (const to of options.counterparties()) tell({ to, message });
      },
    );
  }

  let running: Promise<void> | null = null;
  const check = async ({ force = false } = {}) => {
    while (running) await running;
    running = (async () => {
      for (const log of LOG_NAMES) await checkLog(log, force);
    })().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    check().catch((error: unknown) => options.log?.warn({ err: error }, 'could not make a log checkpoint'));
  }, LOOK_EVERY_MS);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}

/** Keeps another city's checkpoint; a second one for the same entry must say the same. */
export async function holdCheckpoint(
  prisma: PrismaClient,
  from: MunicipalityCode,
  checkpoint: HeldCheckpointLine,
  receivedAt: Date,
  /** Whether one more may be kept (the sender's budget); asked only of a new one. */
  mayKeep: () => boolean = () => true,
): Promise<'held' | 'again' | 'contradicts' | 'over-budget'> {
  const where = {
    municipality_log_sequence: { municipality: from, log: checkpoint.log, sequence: checkpoint.sequence },
  };
  const existing = await prisma.heldCheckpoint.findUnique({ where });
  if (existing) return existing.hash === checkpoint.hash ? 'again' : 'contradicts';
  if (!mayKeep()) return 'over-budget';
  await prisma.heldCheckpoint.create({
    data: {
      municipality: from,
      log: checkpoint.log,
      sequence: checkpoint.sequence,
      hash: checkpoint.hash,
      at: new Date(checkpoint.at),
      signature: checkpoint.signature,
      receivedAt,
    },
  });
  return 'held';
}

/** The checkpoints of `municipality`'s log this city holds, after a sequence, oldest first. */
export async function heldCheckpoints(
  prisma: PrismaClient,
  municipality: string,
  log: LogName,
  after: number,
): Promise<HeldCheckpointLine[]> {
  const rows = await prisma.heldCheckpoint.findMany({
    where: { municipality, log, sequence: { gt: after } },
    orderBy: { sequence: 'asc' },
    take: 1000,
  });
  return rows.map((r) => ({
    log,
    sequence: r.sequence,
    hash: r.hash,
    at: r.at.toISOString(),
    signature: r.signature,
  }));
}

// Serialising decisions that count rows (quotas): a transaction-scoped
// advisory lock per question, so two concurrent requests cannot both see room
// for one more. PGlite has one connection and runs transactions one at a time;
// the lock is what PostgreSQL needs.
import type { Prisma } from './generated/client';

export async function lockFor(tx: Prisma.TransactionClient, name: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))::text`;
}

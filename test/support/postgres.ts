// Throwaway databases on a real PostgreSQL server for integration tests.
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';

/** Candidates for the administrative connection, first reachable wins. */
const candidates = process.env.TEST_DATABASE_URL
  ? [process.env.TEST_DATABASE_URL]
  : [
      'postgresql://postgres@127.0.0.1:5432/postgres',
      `postgresql://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/postgres`,
    ];

export const postgresUrlDescription = candidates.join(' or ');

let adminUrl: Promise<string | undefined> | undefined;

function findAdminUrl(): Promise<string | undefined> {
  adminUrl ??= (async () => {
    for (const url of candidates) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return url;
      } catch {
        // try the next candidate
      } finally {
        await client.end().catch(() => {});
      }
    }
    return undefined;
  })();
  return adminUrl;
}

export async function postgresAvailable(): Promise<boolean> {
  return (await findAdminUrl()) !== undefined;
}

/** CI must prove the PostgreSQL path; locally it is skipped when no server runs. */
export const postgresRequired = process.env.CI === 'true' || process.env.CI === '1';

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTempDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = await findAdminUrl();
  if (!base) throw new Error(`PostgreSQL is not reachable at ${postgresUrlDescription}`);
  const name = `mig_${randomBytes(6).toString('hex')}`;
  await admin(base, `CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE (PostgreSQL 13+) ends connections a failed test left open.
    drop: () => admin(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

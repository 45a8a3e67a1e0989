// A runtime role for a throwaway PostgreSQL database: the role a city
// connects as (DATABASE_URL) while the owner's URL (DATABASE_OWNER_URL) runs
// the migrations, which grant it its rights. Removed with the database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A login role without rights of its own, and the database URL as that role.
 * The server here trusts local connections, so the role needs no password.
 */
export async function createRuntimeRole(
  ownerUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const role = `city_rt_${randomBytes(5).toString('hex')}`;
  await run(ownerUrl, `CREATE ROLE "${role}" LOGIN`);
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = '';
  return {
    url: url.toString(),
    // Called after the database is dropped: nothing of the role is left in it.
    drop: () => run(ownerUrl.replace(/\/[^/?]*(\?|$)/, '/postgres$1'), `DROP ROLE IF EXISTS "${role}"`),
  };
}

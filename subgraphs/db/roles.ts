// The runtime role's rights on PostgreSQL. Migrations run as the owner of
// the tables (DATABASE_OWNER_URL), which then grants the city's runtime role
// (DATABASE_URL) what it needs and no more: it may read and add to the logs,
// never change them (see the grant_runtime_role migration). PGlite has one
// user, so none of this applies to it. When one URL serves both (the demo,
// the tests), the role owns the tables and nothing is granted.
import type { CityDatabase } from './database';

/** The hash-chained logs and the checkpoints, which the runtime role may only read and add to. */
export const APPEND_ONLY_TABLES = ['disclosure_log', 'case_access_log', 'log_checkpoint', 'held_checkpoint'];

const currentUser = async (db: CityDatabase) =>
  (await db.query<{ role: string }>('SELECT current_user AS role'))[0]!.role;

/** Grants the runtime connection's role its rights, as the owner; nothing when they are one role. */
export async function grantRuntimeRole(owner: CityDatabase, runtime: CityDatabase): Promise<string | null> {
  const role = await currentUser(runtime);
  if (role === (await currentUser(owner))) return null;
  await owner.query('SELECT grant_runtime_role($1)', [role]);
  return role;
}

/** Ways the runtime role could still rewrite a log: production refuses to start with any. */
export async function runtimeRoleProblems(db: CityDatabase): Promise<string[]> {
  const rows = await db.query<{ log: string; owns: boolean; superuser: boolean; changes: boolean }>(
    `SELECT t AS log,
            pg_get_userbyid(c.relowner) = current_user AS owns,
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            has_table_privilege(current_user, c.oid, 'UPDATE')
              OR has_table_privilege(current_user, c.oid, 'DELETE')
              OR has_table_privilege(current_user, c.oid, 'TRUNCATE') AS changes
       FROM unnest($1::text[]) AS t JOIN pg_class c ON c.oid = to_regclass(t)`,
    [APPEND_ONLY_TABLES],
  );
  const role = await currentUser(db);
  return rows.flatMap((row) =>
    row.superuser
      ? [`the runtime role ${role} (DATABASE_URL) is a superuser and could rewrite ${row.log}`]
      : row.owns
        ? [`the runtime role ${role} (DATABASE_URL) owns ${row.log}; give DATABASE_OWNER_URL another role`]
        : row.changes
          ? [`the runtime role ${role} (DATABASE_URL) may change or remove rows of ${row.log}`]
          : [],
  );
}

// Large volumes straight into each city's database with INSERT ... SELECT
// generate_series: the home city's casework rows (a case, as in life one
// person with one assignment and a basis for its receiving city; the
// Assignment with a plan of
// one decided item, the cost report it has) and the receiving city's execution
// rows (IncomingAssignment with that item agreed and its cost entry): both
// sides agree, so the cities' consistency check finds nothing to repair. Ids follow schema/contract/ids.ts, so the gateway routes
// them like any other; each home city splits its assignments between the two
// other cities. Growing is incremental: rows (from, to] are added.
import pg from 'pg';
import { encodeCursor } from '../schema/contract/cursor';

export interface CityDb {
  code: string;
  url: string;
}

/** Newest bench row; row i is i seconds older, and each city is offset by a few ms. */
const NEWEST = Date.parse('2024-06-01T12:00:00.000Z');
// A uuid-shaped suffix from the row number, lower-case hex as ids.ts requires.
const uuid = (i: string) => `lpad(to_hex(${i}), 8, '0') || '-beac-4000-8000-' || lpad(to_hex(${i}), 12, '0')`;

const others = (cities: readonly CityDb[], code: string) =>
  cities.filter((c) => c.code !== code).map((c) => c.code);

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function homeSql(home: string, offsetMs: number, receivers: string[]): string {
  const [a, b] = receivers as [string, string];
  const receiving = `(CASE WHEN i % 2 = 0 THEN '${a}' ELSE '${b}' END)`;
  const id = `'asg:${home}:' || ${receiving} || ':' || ${uuid('i')}`;
  const updated = `(timestamptz '${new Date(NEWEST).toISOString()}' - i * interval '1 second' - interval '${offsetMs} milliseconds')`;
  return `
    INSERT INTO "case" (id, person_name, personal_identity_number, unit_id, opened_at)
    SELECT 'bench-case-${home}-' || i, 'Demo Bench Volymsson', '19000101-0008', (SELECT id FROM "unit" ORDER BY id LIMIT 1), timestamptz '2023-01-01'
    FROM generate_series($1::int + 1, $2::int) AS i ON CONFLICT DO NOTHING;
    INSERT INTO "disclosure_basis" (id, case_id, recipient_municipality, kind, scope, valid_from)
    SELECT 'bench-basis-${home}-' || i, 'bench-case-${home}-' || i, ${receiving}, 'CONSENT', 'Bench', date '2020-01-01'
    FROM generate_series($1::int + 1, $2::int) AS i ON CONFLICT DO NOTHING;
    INSERT INTO "assignment" (id, case_id, home_municipality, receiving_municipality, status, proposed_at, updated_at, responded_at)
    SELECT ${id}, 'bench-case-${home}-' || i, '${home}', ${receiving}, 'ACTIVE', ${updated} - interval '30 days', ${updated}, ${updated} - interval '29 days'
    FROM generate_series($1::int + 1, $2::int) AS i ON CONFLICT DO NOTHING;
    INSERT INTO "plan_version" (id, assignment_id, version, status, proposed_at, decided_at)
    SELECT ${id} || '#plan-1', ${id}, 1, 'DECIDED', timestamptz '2024-01-01', timestamptz '2024-01-02'
    FROM generate_series($1::int + 1, $2::int) AS i ON CONFLICT DO NOTHING;
    INSERT INTO "plan_item" (id, plan_version_id, category, planned_from, planned_to, extent_quantity, extent_unit, estimated_cost, decided)
    SELECT 'item:${home}:' || ${receiving} || ':' || ${uuid('i')}, ${id} || '#plan-1', 'CRISIS_SUPPORT', date '2024-01-08', date '2024-12-31', 2, 'HOURS_PER_WEEK', 18400.00, true
    FROM generate_series($1::int + 1, $2::int) AS i ON CONFLICT DO NOTHING;
    INSERT INTO "cost_report" (id, assignment_id, plan_item_id, category, date, gross, reported_at)
    SELECT 'cost:${home}:' || ${receiving} || ':' || ${uuid('i')}, ${id}, 'item:${home}:' || ${receiving} || ':' || ${uuid('i')}, 'CRISIS_SUPPORT', date '2024-02-15', 2300.00, timestamptz '2024-02-15'
    FROM generate_series($1::int + 1, $2::int) AS i ON CONFLICT DO NOTHING;`;
}

function receivingSql(home: string, receiving: string, parity: number, offsetMs: number): string {
  const id = `'asg:${home}:${receiving}:' || ${uuid('i')}`;
  const updated = `(timestamptz '${new Date(NEWEST).toISOString()}' - i * interval '1 second' - interval '${offsetMs} milliseconds')`;
  return `
    INSERT INTO "incoming_assignment" (id, home_municipality, receiving_municipality, received_at, updated_at, status, response, responded_at)
    SELECT ${id}, '${home}', '${receiving}', ${updated} - interval '30 days', ${updated}, 'ACTIVE', 'ACCEPT', ${updated} - interval '29 days'
    FROM generate_series($1::int + 1, $2::int) AS i WHERE i % 2 = ${parity} ON CONFLICT DO NOTHING;
    INSERT INTO "received_plan_item" (id, assignment_id, plan_version, status, category, planned_from, planned_to, extent_quantity, extent_unit, estimated_cost, consultation)
    SELECT 'item:${home}:${receiving}:' || ${uuid('i')}, ${id}, 1, 'AGREED', 'CRISIS_SUPPORT', date '2024-01-08', date '2024-12-31', 2, 'HOURS_PER_WEEK', 18400.00, 'CAN_DELIVER'
    FROM generate_series($1::int + 1, $2::int) AS i WHERE i % 2 = ${parity} ON CONFLICT DO NOTHING;
    INSERT INTO "cost_entry" (id, assignment_id, plan_item_id, category, date, amount, description, idempotency_key)
    SELECT 'cost:${home}:${receiving}:' || ${uuid('i')}, ${id}, 'item:${home}:${receiving}:' || ${uuid('i')}, 'CRISIS_SUPPORT', date '2024-02-15', 2300.00, 'Bench cost', 'bench:' || i
    FROM generate_series($1::int + 1, $2::int) AS i WHERE i % 2 = ${parity} ON CONFLICT DO NOTHING;`;
}

/** The id of bench assignment `i` that `home` sent (the same expression as homeSql's). */
export function seededAssignmentId(codes: readonly string[], home: string, i: number): string {
  const [a, b] = codes.filter((c) => c !== home) as [string, string];
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  return `asg:${home}:${i % 2 === 0 ? a : b}:${hex(i, 8)}-beac-4000-8000-${hex(i, 12)}`;
}

/** Grows every city from `from` to `to` bench assignments sent per city. */
export async function seedAssignments(cities: readonly CityDb[], from: number, to: number): Promise<void> {
  if (to <= from) return;
  const offsets = new Map(cities.map((c, index) => [c.code, index * 7]));
  await Promise.all(
    cities.map((city) =>
      withClient(city.url, async (client) => {
        const receivers = others(cities, city.code);
        await client.query('BEGIN');
        for (const statement of homeSql(city.code, offsets.get(city.code)!, receivers).split(';'))
          if (statement.trim()) await client.query(statement, [from, to]);
        // This city's side of what each other home city sent it (even rows to the first, odd to the second).
        for (const home of cities.filter((c) => c.code !== city.code)) {
          const parity = others(cities, home.code).indexOf(city.code) === 0 ? 0 : 1;
          for (const statement of receivingSql(home.code, city.code, parity, offsets.get(home.code)!).split(
            ';',
          ))
            if (statement.trim()) await client.query(statement, [from, to]);
        }
        await client.query('COMMIT');
        // The rows after measure reads at this size, not the load's aftermath: vacuumed now,
        // autovacuum has nothing to start on the new rows while a row runs.
        await client.query('VACUUM (ANALYZE)');
      }),
    ),
  );
  // Likewise the checkpoints the load's WAL would set off (seconds of writes at 100 000 per city).
  await withClient(cities[0]!.url, async (client) => {
    await client.query('CHECKPOINT').catch((error: { code?: string }) => {
      // Only a superuser or pg_checkpoint may; PostgreSQL then checkpoints in its own time.
      if (error.code !== '42501') throw error;
    });
  });
}

/** The cursor of the item `depth` places into `city`'s own list (its newest-first order). */
export async function cursorAt(city: CityDb, depth: number): Promise<string> {
  return withClient(city.url, async (client) => {
    const row = await client.query<{ updated_at: Date; id: string }>(
      'SELECT updated_at, id FROM "assignment" ORDER BY updated_at DESC, id DESC OFFSET $1 LIMIT 1',
      [depth],
    );
    const found = row.rows[0];
    if (!found) throw new Error(`${city.code} has fewer than ${depth + 1} assignments`);
    return encodeCursor({ updatedAt: found.updated_at.toISOString(), id: found.id });
  });
}

// Large volumes straight into each city's database with INSERT ... SELECT
// generate_series: the home city's casework rows (Assignment with a plan of
// one item) and the receiving city's execution rows (IncomingAssignment with
// one cost entry). Ids follow schema/contract/ids.ts, so the gateway routes
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
    INSERT INTO "assignment" (id, case_id, home_municipality, receiving_municipality, status, proposed_at, updated_at, responded_at)
    SELECT ${id}, 'bench-case-${home}', '${home}', ${receiving}, 'ACTIVE', ${updated} - interval '30 days', ${updated}, ${updated} - interval '29 days'
    FROM generate_series($1::int + 1, $2::int) AS i ON CONFLICT DO NOTHING;
    INSERT INTO "plan_version" (id, assignment_id, version, status, proposed_at, confirmed_at)
    SELECT ${id} || '#plan-1', ${id}, 1, 'CONFIRMED', timestamptz '2024-01-01', timestamptz '2024-01-02'
    FROM generate_series($1::int + 1, $2::int) AS i ON CONFLICT DO NOTHING;
    INSERT INTO "plan_item" (id, plan_version_id, category, planned_from, planned_to, extent_quantity, extent_unit, estimated_cost, responsible_unit)
    SELECT 'item:${home}:' || ${receiving} || ':' || ${uuid('i')}, ${id} || '#plan-1', 'CRISIS_SUPPORT', date '2024-01-08', date '2024-12-31', 2, 'HOURS_PER_WEEK', 18400.00, 'Bench unit'
    FROM generate_series($1::int + 1, $2::int) AS i ON CONFLICT DO NOTHING;`;
}

function receivingSql(home: string, receiving: string, parity: number, offsetMs: number): string {
  const id = `'asg:${home}:${receiving}:' || ${uuid('i')}`;
  const updated = `(timestamptz '${new Date(NEWEST).toISOString()}' - i * interval '1 second' - interval '${offsetMs} milliseconds')`;
  return `
    INSERT INTO "incoming_assignment" (id, home_municipality, receiving_municipality, received_at, updated_at, status, response, responded_at)
    SELECT ${id}, '${home}', '${receiving}', ${updated} - interval '30 days', ${updated}, 'ACTIVE', 'ACCEPT', ${updated} - interval '29 days'
    FROM generate_series($1::int + 1, $2::int) AS i WHERE i % 2 = ${parity} ON CONFLICT DO NOTHING;
    INSERT INTO "cost_entry" (id, assignment_id, plan_item_id, category, date, amount, description, idempotency_key)
    SELECT 'cost:${home}:${receiving}:' || ${uuid('i')}, ${id}, 'item:${home}:${receiving}:' || ${uuid('i')}, 'CRISIS_SUPPORT', date '2024-02-15', 2300.00, 'Bench cost', 'bench:' || i
    FROM generate_series($1::int + 1, $2::int) AS i WHERE i % 2 = ${parity} ON CONFLICT DO NOTHING;`;
}

/** Grows every city from `from` to `to` bench assignments sent per city. */
export async function seedAssignments(cities: readonly CityDb[], from: number, to: number): Promise<void> {
  if (to <= from) return;
  const offsets = new Map(cities.map((c, index) => [c.code, index * 7]));
  await Promise.all(
    cities.map((city) =>
      withClient(city.url, async (client) => {
        const receivers = others(cities, city.code);
        if (from === 0) {
          // One case holds the bench assignments, with a basis in force for each receiving city (rule 4).
          const unit = await client.query<{ id: string }>('SELECT id FROM "unit" ORDER BY id LIMIT 1');
          await client.query(
            `INSERT INTO "case" (id, person_name, personal_identity_number, unit_id, opened_at)
             VALUES ($1, 'Demo Bench Volymsson', '19000101-0008', $2, timestamptz '2023-01-01') ON CONFLICT DO NOTHING`,
            [`bench-case-${city.code}`, unit.rows[0]!.id],
          );
          for (const recipient of receivers) {
            await client.query(
              `INSERT INTO "disclosure_basis" (id, case_id, recipient_municipality, kind, scope, valid_from)
               VALUES ($1, $2, $3, 'CONSENT', 'Bench', date '2020-01-01') ON CONFLICT DO NOTHING`,
              [`bench-basis-${city.code}-${recipient}`, `bench-case-${city.code}`, recipient],
            );
          }
        }
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
        await client.query('ANALYZE');
      }),
    ),
  );
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

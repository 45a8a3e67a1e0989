// Health of a city process: live while it runs, ready while its database
// answers and every migration is applied.
import type { Express } from 'express';
import type { CityDatabase } from './db/database';
import { pendingMigrations } from './db/migrate';

export function healthRoutes(app: Express, db: CityDatabase, municipality: string): void {
  app.get('/health/live', (_req, res) => {
    res.json({ municipality, status: 'ok' });
  });
  app.get(['/health', '/health/ready'], (_req, res) => {
    void readiness(db).then(
      (body) => res.status(body.status === 'ok' ? 200 : 503).json({ municipality, ...body }),
      () => res.status(503).json({ municipality, status: 'unavailable' }),
    );
  });
}

async function readiness(
  db: CityDatabase,
): Promise<{ status: 'ok' | 'unavailable'; pendingMigrations: string[] }> {
  await db.query('SELECT 1');
  const pending = await pendingMigrations(db);
  return { status: pending.length === 0 ? 'ok' : 'unavailable', pendingMigrations: pending };
}

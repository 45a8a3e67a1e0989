import { defineConfig } from 'prisma/config';

// Migrations are applied by the cities themselves at start-up
// (subgraphs/db/migrate.ts); the CLI only generates the client.
export default defineConfig({
  schema: 'subgraphs/prisma/schema.prisma',
  migrations: { path: 'subgraphs/prisma/migrations' },
});

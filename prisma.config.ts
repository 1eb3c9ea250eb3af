// Prisma CLI configuration. Only `prisma generate` runs here (see package.json): migrations are
// hand-written SQL applied by src/db/migrate.ts, which records them exactly as `prisma migrate deploy`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/omega',
  },
});

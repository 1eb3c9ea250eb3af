import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module). Node, and so every dependency that vitest leaves
    // external (Pothos, yoga), loads the CJS one; make our own transformed code load the same copy,
    // or schema objects cross "realms" and graphql refuses them.
    alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) }],
  },
  test: {
    // web/src's tests are the inbox app's pure logic (no DOM, no database).
    include: ['test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // The scale-out suite starts clusters of processes with nginx: it runs after this one, a file at
    // a time (vitest.cluster.config.ts; `npm test` runs both).
    exclude: ['test/cluster/**', '**/node_modules/**'],
    globalSetup: ['test/helpers/globalSetup.ts'],
    // Each file gets its own database cloned from a migrated template (test/helpers/database.ts).
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});

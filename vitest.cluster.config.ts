// The scale-out suite (test/cluster): each file starts two gateways, two workers and nginx on the
// machine's PostgreSQL, so files run one at a time, after the rest of `npm test` (package.json),
// never beside the browser tests or each other (CPU, and PostgreSQL's 100 connections).
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/cluster/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
  },
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSchema, SCHEMA_FILE } from '../../src/graphql/printSchema.js';

describe('schema.graphql', () => {
  it('matches the schema built from the code (run `npm run schema` after changing a type)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderSchema());
  });
});

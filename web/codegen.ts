// GraphQL Code Generator: every operation in web/src (written with `graphql(...)` from ./gql) is typed
// from ../schema.graphql. Client preset; run by web/build.mjs (codegen, then vite build).
// Runtime stays small: documents are plain AST objects (no graphql-js in the bundle), enums are
// string unions, and fragment masking is off.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('.', import.meta.url));

const config: CodegenConfig = {
  schema: `${web}../schema.graphql`,
  documents: [`${web}src/**/*.{ts,tsx}`, `!${web}src/gql/**`],
  ignoreNoDocuments: true,
  silent: true,
  generates: {
    [`${web}src/gql/`]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        skipTypename: false,
      },
    },
  },
};

export default config;

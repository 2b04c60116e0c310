import type { CodegenConfig } from '@graphql-codegen/cli';
import { subgraphs } from './services';

/** Resolver types for each subgraph, generated from its schema.graphql (rebuilt by `npm run build`). */
const subgraph = (folder: string, mappers: Record<string, string>): CodegenConfig['generates'] => ({
  [`${folder}/src/__generated__/resolvers-types.ts`]: {
    schema: `${folder}/schema.graphql`,
    plugins: ['typescript', 'typescript-resolvers'],
    config: {
      federation: true,
      useIndexSignature: true,
      contextType: '../context#Context',
      mappers,
      scalars: { Decimal: 'string', DateTime: 'Date' },
      enumsAsTypes: true,
      avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
    },
  },
});

// Each registered subgraph's mappers live in its own folder (<folder>/codegen.ts).
const config: CodegenConfig = {
  overwrite: true,
  // Keep the SDL's order (enum values in lifecycle order, as clients read them), not an alphabetical one.
  config: { sort: false },
  generates: Object.assign(
    {
      // The enums of the composed API as values, for the gateway's REST shim (its documents and checks).
      'gateway/src/__generated__/api-enums.ts': {
        schema: 'gateway/supergraph.graphql',
        plugins: ['typescript'],
        config: { onlyEnums: true, enumsAsConst: true },
      },
      // The REST shim's operations as typed documents: `tsc` fails when one no longer fits the composed API.
      // String mode keeps each document a string for the gateway's executor; masking is off because a
      // route turns the whole result into its representation.
      'gateway/src/__generated__/rest/': {
        schema: 'gateway/supergraph.graphql',
        documents: 'gateway/src/rest/**/operations.ts',
        preset: 'client',
        presetConfig: { fragmentMasking: false },
        config: {
          documentMode: 'string',
          useTypeImports: true,
          enumsAsTypes: true,
          // Results as the gateway's executor hands them over (serialized); inputs as the scalars accept them.
          scalars: { Decimal: { input: 'string | number', output: 'string' }, DateTime: 'string' },
        },
      },
    },
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named by the registry
    ...subgraphs.map((entry) => subgraph(entry.folder, require(`./${entry.folder}/codegen`).mappers)),
  ),
};

export default config;

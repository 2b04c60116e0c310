import type { CodegenConfig } from '@graphql-codegen/cli';

/** Resolver types for each subgraph, generated from its schema.graphql (rebuilt by `npm run build`). */
const subgraph = (name: string, mappers: Record<string, string>): CodegenConfig['generates'] => ({
  [`subgraphs/${name}/src/__generated__/resolvers-types.ts`]: {
    schema: `subgraphs/${name}/schema.graphql`,
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

const config: CodegenConfig = {
  overwrite: true,
  // Keep the SDL's order (enum values in lifecycle order, as clients read them), not an alphabetical one.
  config: { sort: false },
  generates: {
    // The enums of the composed API as values, for the gateway's REST shim (its documents and checks).
    'gateway/src/__generated__/api-enums.ts': {
      schema: 'gateway/supergraph.graphql',
      plugins: ['typescript'],
      config: { onlyEnums: true, enumsAsConst: true },
    },
    ...subgraph('inventory', {
      Product: './prisma/client#Product as ProductModel',
      StockMovement: './prisma/client#StockMovement as StockMovementModel',
      Dashboard: '../../../../lib/graphql/references#EntityReference',
    }),
    ...subgraph('orders', {
      Order: './prisma/client#Order as OrderModel',
      OrderItem: './prisma/client#OrderItem as OrderItemModel',
      OrderStatusChange: './prisma/client#OrderStatusChange as OrderStatusChangeModel',
      OrderStats: '../domain/stats#OrderSummary',
      ProductSales: '../domain/stats#ProductSalesRow',
      Product: '../../../../lib/graphql/references#EntityReference',
      Dashboard: '../../../../lib/graphql/references#EntityReference',
    }),
    ...subgraph('monitor', {
      Alert: './prisma/client#Alert as AlertModel',
      ServiceHealth: './prisma/client#HealthCheck as HealthCheckModel',
      HealthCheck: './prisma/client#HealthCheck as HealthCheckModel',
      Dashboard: '../../../../lib/graphql/references#EntityReference',
    }),
  },
};

export default config;

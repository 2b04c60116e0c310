/**
 * GraphQL Code Generator mappers of this subgraph: the model each GraphQL type's resolvers receive
 * (paths relative to src/__generated__/). codegen.ts at the root reads this for every registered subgraph.
 */
export const mappers: Record<string, string> = {
  Product: './prisma/client#Product as ProductModel',
  StockMovement: './prisma/client#StockMovement as StockMovementModel',
  Dashboard: '@io/graphql/references#EntityReference',
};

/**
 * GraphQL Code Generator mappers of this subgraph: the model each GraphQL type's resolvers receive
 * (paths relative to src/__generated__/). codegen.ts at the root reads this for every registered subgraph.
 */
export const mappers: Record<string, string> = {
  Order: './prisma/client#Order as OrderModel',
  OrderItem: './prisma/client#OrderItem as OrderItemModel',
  OrderStatusChange: './prisma/client#OrderStatusChange as OrderStatusChangeModel',
  OrderStats: '../domain/stats#OrderSummary',
  ProductSales: '../domain/stats#ProductSalesRow',
  Product: '@io/graphql/references#EntityReference',
  Dashboard: '@io/graphql/references#EntityReference',
};

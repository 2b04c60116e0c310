/**
 * GraphQL Code Generator mappers of this subgraph: the model each GraphQL type's resolvers receive
 * (paths relative to src/__generated__/). codegen.ts at the root reads this for every registered subgraph.
 */
export const mappers: Record<string, string> = {
  Alert: './prisma/client#Alert as AlertModel',
  ServiceHealth: './prisma/client#HealthCheck as HealthCheckModel',
  HealthCheck: './prisma/client#HealthCheck as HealthCheckModel',
  Dashboard: '@io/graphql/references#EntityReference',
  DeadLetter: './prisma/client#DeadLetter as DeadLetterModel',
};

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { PrismaPg } from '@prisma/adapter-pg';
import { parse } from 'graphql';
import { createTestDatabase } from '../../../test/support/test-database';
import { PrismaClient } from '../src/__generated__/prisma/client';
import { createContext, type Context } from '../src/context';
import { createPool, dbSchema } from '../src/data/prisma';
import { productUseCases } from '../src/domain/products';
import { resolvers } from '../src/resolvers';
import { typeDefs } from '../src/service';

let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

test('resolving 100 product references for 20 distinct products costs one database query', async () => {
  const pool = createPool(database.url);
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { schema: dbSchema }),
    log: [{ emit: 'event', level: 'query' }],
  });
  const queries: string[] = [];
  prisma.$on('query', (event) => queries.push(event.query));
  const products = productUseCases(prisma);
  const server = new ApolloServer<Context>({
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  try {
    const ids: number[] = [];
    for (let index = 0; index < 20; index += 1)
      ids.push((await products.create({ name: `P${index}`, price: '1.00', stockQuantity: index })).id);
    const representations = Array.from({ length: 100 }, (_, index) => ({
      __typename: 'Product',
      id: String(ids[index % 20]),
    }));
    queries.length = 0;

    const response = await server.executeOperation(
      {
        query:
          'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id name stockQuantity } } }',
        variables: { representations },
      },
      { contextValue: createContext(products) },
    );

    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeUndefined();
    const entities =
      response.body.kind === 'single'
        ? (response.body.singleResult.data?._entities as { id: string; name: string; stockQuantity: number }[])
        : [];
    expect(entities).toHaveLength(100);
    expect(entities[42]).toEqual({ id: String(ids[2]), name: 'P2', stockQuantity: 2 });
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/SELECT .* FROM "inventory"\."products" WHERE "inventory"\."products"\."id" IN/);
  } finally {
    await server.stop();
    await prisma.$disconnect();
    await pool.end();
  }
});

import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let f: ReturnType<typeof fixtures>;

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
});

afterAll(async () => {
  await system?.close();
});

const createProduct = `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id name description price stockQuantity minStockLevel isLowStock stockLevel movementCount } }`;
const productCount = async () =>
  (await system.graphql<{ productCount: number }>('{ productCount }')).data!.productCount;

test('a product is created with exact price, and its initial stock is the first movement of its ledger', async () => {
  const { data, errors } = await system.graphql(createProduct, {
    input: {
      name: '  Producto Test ',
      description: 'Descripción del producto',
      price: 99.99,
      stockQuantity: 50,
      minStockLevel: 10,
    },
  });

  expect(errors).toBeUndefined();
  expect(data!.createProduct).toEqual({
    id: expect.any(String),
    name: 'Producto Test',
    description: 'Descripción del producto',
    price: '99.99',
    stockQuantity: 50,
    minStockLevel: 10,
    isLowStock: false,
    stockLevel: 'OK',
    movementCount: 1,
  });
});

test.each([
  ['an empty name', { name: '  ' }, 'input.name'],
  ['a name too long', { name: 'x'.repeat(201) }, 'input.name'],
  ['a description too long', { description: 'x'.repeat(2001) }, 'input.description'],
  ['a negative price', { price: '-1.00' }, 'input.price'],
  ['a negative stock', { stockQuantity: -1 }, 'input.stockQuantity'],
  ['a stock past the limit', { stockQuantity: 2_000_000_001 }, 'input.stockQuantity'],
  ['a negative minimum', { minStockLevel: -5 }, 'input.minStockLevel'],
])(
  'creating a product with %s is refused with BAD_USER_INPUT naming the field, and nothing is created',
  async (_case, override, field) => {
    const before = await productCount();

    const { data, errors } = await system.graphql(createProduct, {
      input: { name: 'Valid', price: '1.00', stockQuantity: 1, ...override },
    });

    expect(data).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) }),
    ]);
    expect(await productCount()).toBe(before);
  },
);

test.each([
  ['a price with three decimals', { price: '1.999' }],
  ['a price beyond 12 digits', { price: '12345678901234' }],
  ['a stock beyond 32 bits', { stockQuantity: 99_999_999_999 }],
])('creating a product with %s is refused by the schema with BAD_USER_INPUT', async (_case, override) => {
  const before = await productCount();

  const { errors } = await system.graphql(createProduct, {
    input: { name: 'Valid', price: '1.00', stockQuantity: 1, ...override },
  });

  expect(errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(await productCount()).toBe(before);
});

test('updating a product changes only the given fields; stock is not among them', async () => {
  const id = await f.createProduct({ name: 'Lamp', price: '20.00', stockQuantity: 5, minStockLevel: 1 });

  const { data } = await system.graphql(
    `mutation ($id: ID!) { updateProduct(id: $id, input: { price: "25.50", minStockLevel: 5 }) { name price stockQuantity minStockLevel isLowStock } }`,
    { id },
  );

  expect(data!.updateProduct).toEqual({
    name: 'Lamp',
    price: '25.50',
    stockQuantity: 5,
    minStockLevel: 5,
    isLowStock: true,
  });
  const unknown = await system.graphql(`mutation { updateProduct(id: "987654", input: { name: "x" }) { id } }`);
  expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const invalidId = await system.graphql(`mutation { updateProduct(id: "abc", input: { name: "x" }) { id } }`);
  expect(invalidId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
});

test('adjusting stock records the movement with its balance, and taking more than there is fails with CONFLICT and changes nothing', async () => {
  const id = await f.createProduct({ stockQuantity: 10 });
  const adjust = `mutation ($id: ID!, $input: AdjustStockInput!) { adjustStock(productId: $id, input: $input) { quantityChange balanceAfter movementType referenceId notes product { stockQuantity } } }`;

  const sale = await system.graphql(adjust, {
    id,
    input: { quantityChange: -5, movementType: 'SALE', referenceId: 'ORDER-123', notes: 'Venta de producto' },
  });
  const tooMuch = await system.graphql(adjust, { id, input: { quantityChange: -6 } });
  const zero = await system.graphql(adjust, { id, input: { quantityChange: 0 } });
  const initial = await system.graphql(adjust, { id, input: { quantityChange: 1, movementType: 'INITIAL' } });

  expect(sale.data!.adjustStock).toEqual({
    quantityChange: -5,
    balanceAfter: 5,
    movementType: 'SALE',
    referenceId: 'ORDER-123',
    notes: 'Venta de producto',
    product: { stockQuantity: 5 },
  });
  expect(tooMuch.errors?.[0].extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'INSUFFICIENT_STOCK',
    stockQuantity: 5,
  });
  expect(zero.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.quantityChange' });
  expect(initial.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.movementType' });
  expect(await f.stockOf(id)).toBe(5);
  expect(await f.ledgerViolations()).toEqual([]);
});

test('concurrent adjustments never take stock below zero', async () => {
  const id = await f.createProduct({ stockQuantity: 20 });

  const results = await Promise.all(
    Array.from({ length: 30 }, () =>
      system.graphql(
        `mutation ($id: ID!) { adjustStock(productId: $id, input: { quantityChange: -1 }) { balanceAfter } }`,
        { id },
      ),
    ),
  );

  expect(results.filter((result) => result.data)).toHaveLength(20);
  expect(results.filter((result) => result.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(10);
  expect(await f.stockOf(id)).toBe(0);
  expect(await f.ledgerViolations()).toEqual([]);
});

test('products can be searched, filtered by low stock and paged in a stable order, with a total count', async () => {
  const tag = `zq${Date.now()}`;
  const ids = [];
  for (const [index, stock] of [5, 0, 50, 2].entries())
    ids.push(await f.createProduct({ name: `${tag} item ${index}`, stockQuantity: stock, minStockLevel: 3 }));

  const { data } = await system.graphql(
    `query ($search: String) {
    all: products(filter: { search: $search }) { id }
    low: products(filter: { search: $search, lowStock: true }) { id stockLevel }
    page: products(filter: { search: $search }, limit: 2, offset: 1) { id }
    total: productCount(filter: { search: $search })
    lowTotal: productCount(filter: { search: $search, lowStock: true })
    lowStockProducts { id }
  }`,
    { search: tag.toUpperCase() },
  );

  expect(data!.all.map((product: { id: string }) => product.id)).toEqual(ids);
  expect(data!.low).toEqual([
    { id: ids[1], stockLevel: 'OUT' },
    { id: ids[3], stockLevel: 'LOW' },
  ]);
  expect(data!.page.map((product: { id: string }) => product.id)).toEqual(ids.slice(1, 3));
  expect({ total: data!.total, lowTotal: data!.lowTotal }).toEqual({ total: 4, lowTotal: 2 });
  expect(data!.lowStockProducts.map((product: { id: string }) => product.id)).toEqual(
    expect.arrayContaining([ids[1], ids[3]]),
  );
});

test('movements are paged newest first and sum to the stock', async () => {
  const id = await f.createProduct({ stockQuantity: 3 });
  for (const change of [4, -2, 1]) {
    await system.graphql(
      `mutation ($id: ID!, $change: Int!) { adjustStock(productId: $id, input: { quantityChange: $change }) { id } }`,
      { id, change },
    );
  }

  const { data } = await system.graphql(
    `query ($id: ID!) { product(id: $id) { stockQuantity movementCount
    first: movements(limit: 2) { quantityChange balanceAfter } rest: movements(limit: 2, offset: 2) { quantityChange movementType } } }`,
    { id },
  );

  expect(data!.product).toEqual({
    stockQuantity: 6,
    movementCount: 4,
    first: [
      { quantityChange: 1, balanceAfter: 6 },
      { quantityChange: -2, balanceAfter: 5 },
    ],
    rest: [
      { quantityChange: 4, movementType: 'ADJUSTMENT' },
      { quantityChange: 3, movementType: 'INITIAL' },
    ],
  });
});

test('crossing the minimum level down and back up publishes stock-level events for the monitor', async () => {
  const id = await f.createProduct({ stockQuantity: 10, minStockLevel: 4 });
  const adjust = (change: number) =>
    system.graphql(
      `mutation ($id: ID!, $change: Int!) { adjustStock(productId: $id, input: { quantityChange: $change }) { id } }`,
      { id, change },
    );

  await adjust(-3);
  await adjust(-4);
  await adjust(-3);
  await adjust(8);

  const levels = await f.sql<{ payload: { data: { previousLevel: string; level: string; stockQuantity: number } } }>(
    `SELECT payload FROM inventory.outbox_events WHERE topic = 'stock-level-changed' AND key = $1 ORDER BY sequence`,
    [id],
  );
  expect(levels.map((row) => row.payload.data)).toEqual([
    expect.objectContaining({ previousLevel: 'OK', level: 'LOW', stockQuantity: 3 }),
    expect.objectContaining({ previousLevel: 'LOW', level: 'OUT', stockQuantity: 0 }),
    expect.objectContaining({ previousLevel: 'OUT', level: 'OK', stockQuantity: 8 }),
  ]);
});

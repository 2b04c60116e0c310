import { camelCaseKeys, snakeCaseKeys, snakeCasePath } from '../src/rest/case';

test('GraphQL results become snake_case at every depth, values untouched', () => {
  const result = snakeCaseKeys({
    stockQuantity: 5,
    isLowStock: false,
    price: '9.99',
    description: null,
    items: [{ productName: 'x', unitPrice: '1.00', product: { id: '1', stockLevel: 'OK' } }],
    history: [],
    createdAt: '2024-01-01T00:00:00.000Z',
  });
  expect(result).toEqual({
    stock_quantity: 5,
    is_low_stock: false,
    price: '9.99',
    description: null,
    items: [{ product_name: 'x', unit_price: '1.00', product: { id: '1', stock_level: 'OK' } }],
    history: [],
    created_at: '2024-01-01T00:00:00.000Z',
  });
});

test('REST bodies become camelCase GraphQL inputs at every depth, values untouched', () => {
  expect(
    camelCaseKeys({ order_type: 'SELL', customer_email: 'a@b.c', items: [{ product_id: '1', unit_price: 99.99 }] }),
  ).toEqual({ orderType: 'SELL', customerEmail: 'a@b.c', items: [{ productId: '1', unitPrice: 99.99 }] });
});

test('a dotted GraphQL input path reads as the REST client spelled it', () => {
  expect(snakeCasePath('items.0.unitPrice')).toBe('items.0.unit_price');
  expect(snakeCasePath('minStockLevel')).toBe('min_stock_level');
});

test('the renames keep the types, so a route is held to its representation by tsc (npm run typecheck checks this file)', () => {
  const rest = snakeCaseKeys({ responseTimeMs: 3 as number | null, items: [{ unitPrice: '1.00' }], at: new Date(0) });
  const typed: { response_time_ms: number | null; items: { unit_price: string }[]; at: Date } = rest;
  // @ts-expect-error the camelCase key is gone from the type as from the value
  expect(rest.responseTimeMs).toBeUndefined();
  expect(typed).toEqual({ response_time_ms: 3, items: [{ unit_price: '1.00' }], at: new Date(0) });
  const input: { orderType: string; items: { productId: string }[] } = camelCaseKeys({
    order_type: 'SELL',
    items: [{ product_id: '1' }],
  });
  expect(input).toEqual({ orderType: 'SELL', items: [{ productId: '1' }] });
});

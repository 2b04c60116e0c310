import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

async function createProduct(name: string, stockQuantity: number): Promise<string> {
  const { data, errors } = await system.graphql<{ createProduct: { id: string } }>(
    `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
    { input: { name, price: '12.50', stockQuantity, minStockLevel: 1 } },
  );
  expect(errors).toBeUndefined();
  return data!.createProduct.id;
}

async function createSellOrder(productId: string, quantity: number): Promise<string> {
  const { data, errors } = await system.graphql<{ createOrder: { id: string; status: string } }>(
    `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id status } }`,
    {
      input: {
        orderType: 'SELL',
        customerName: 'Ana Pérez',
        customerEmail: 'ana@example.com',
        items: [{ productId, quantity, unitPrice: '12.50', productName: 'as ordered' }],
      },
    },
  );
  expect(errors).toBeUndefined();
  expect(data!.createOrder.status).toBe('PENDING');
  return data!.createOrder.id;
}

const orderQuery = `query ($id: ID!) {
  order(id: $id) {
    status failureReason totalAmount
    history { from to }
    items { productName quantity unitPrice subtotal product { id name stockQuantity } }
  }
}`;

async function waitForProcessedOrder(id: string) {
  return waitFor(
    async () => {
      const { data } = await system.graphql(orderQuery, { id });
      return data?.order.status !== 'PENDING' && data?.order;
    },
    20_000,
    `order ${id} to be processed`,
  );
}

test('a sell order is confirmed by inventory, which takes its stock, and shows product data resolved by inventory', async () => {
  const productId = await createProduct('Walking skeleton widget', 10);
  const orderId = await createSellOrder(productId, 3);

  const order = await waitForProcessedOrder(orderId);

  expect(order).toEqual({
    status: 'CONFIRMED',
    failureReason: null,
    totalAmount: '37.50',
    history: [
      { from: null, to: 'PENDING' },
      { from: 'PENDING', to: 'CONFIRMED' },
    ],
    items: [
      {
        productName: 'as ordered',
        quantity: 3,
        unitPrice: '12.50',
        subtotal: '37.50',
        product: { id: productId, name: 'Walking skeleton widget', stockQuantity: 7 },
      },
    ],
  });
  const { data } = await system.graphql(
    `query ($id: ID!) { product(id: $id) { stockQuantity movements { quantityChange balanceAfter movementType referenceId } } }`,
    { id: productId },
  );
  expect(data!.product).toEqual({
    stockQuantity: 7,
    movements: [
      { quantityChange: -3, balanceAfter: 7, movementType: 'SALE', referenceId: `order:${orderId}` },
      { quantityChange: 10, balanceAfter: 10, movementType: 'INITIAL', referenceId: null },
    ],
  });
});

test('a sell order for more than the stock is rejected with the reason, and stock is untouched', async () => {
  const productId = await createProduct('Scarce widget', 2);
  const orderId = await createSellOrder(productId, 5);

  const order = await waitForProcessedOrder(orderId);

  expect(order.status).toBe('REJECTED');
  expect(order.failureReason).toMatch(/^INSUFFICIENT_STOCK: /);
  expect(order.items[0].product.stockQuantity).toBe(2);
  const alerts = await waitFor(
    async () => {
      // Only this kind: a loaded machine may also see a slow probe (SERVICE_DOWN).
      const { data } = await system.graphql(
        `{ alerts(filter: { alertType: ORDER_REJECTED }) { alertType entityId state count } }`,
      );
      return data?.alerts.length > 0 && data?.alerts;
    },
    20_000,
    'the ORDER_REJECTED alert',
  );
  expect(alerts).toEqual([{ alertType: 'ORDER_REJECTED', entityId: productId, state: 'OPEN', count: 1 }]);
});

test('an order for an unknown product is rejected', async () => {
  const orderId = await createSellOrder('999999', 1);

  const { status, failureReason, items } = await waitForProcessedOrder(orderId);

  expect({ status, failureReason }).toEqual({
    status: 'REJECTED',
    failureReason: 'UNKNOWN_PRODUCT: product 999999 does not exist',
  });
  expect(items[0].product).toBeNull();
});

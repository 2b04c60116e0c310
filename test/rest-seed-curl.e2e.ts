import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { seedSampleData } from '../scripts/seed-data';
import { fixtures } from './support/fixtures';
import { openApiValidator } from './support/openapi-validator';
import { restClient } from './support/rest-client';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/**
 * The "Uso" section of the replaced system's README, copied verbatim. Only the host changes
 * (http://localhost → the gateway) when the commands run.
 */
const seedCurlExamples = [
  `curl http://localhost/api/inventory/products`,
  `curl -X POST http://localhost/api/inventory/products \\
  -H "Content-Type: application/json" \\
  -d '{
    "name": "Producto Test",
    "description": "Descripción del producto",
    "price": 99.99,
    "stock_quantity": 50,
    "min_stock_level": 10
  }'`,
  `curl -X POST http://localhost/api/inventory/products/1/stock \\
  -H "Content-Type: application/json" \\
  -d '{
    "quantity_change": -5,
    "movement_type": "sale",
    "reference_id": "ORDER-123",
    "notes": "Venta de producto"
  }'`,
  `curl http://localhost/api/orders/orders`,
  `curl -X POST http://localhost/api/orders/orders \\
  -H "Content-Type: application/json" \\
  -d '{
    "order_type": "sell",
    "customer_name": "Cliente Test",
    "customer_email": "cliente@test.com",
    "items": [
      {
        "product_id": 1,
        "product_name": "Producto Test",
        "quantity": 2,
        "unit_price": 99.99
      }
    ]
  }'`,
  `curl http://localhost/api/orders/orders/stats`,
  `curl http://localhost/api/monitor/dashboard`,
  `curl http://localhost/api/monitor/services/health`,
  `curl http://localhost/api/monitor/alerts`,
];

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

/** Runs one command with bash and the real curl, reporting the status code after the body. */
async function runCurl(command: string) {
  const withHost = command.replace(/http:\/\/localhost/g, system.gatewayUrl);
  const script = `curl() { command curl -sS -w '\\n%{http_code}' "$@"; }\n${withHost}`;
  const { stdout } = await promisify(execFile)('bash', ['-c', script]);
  const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
  return { status, body: JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n'))) };
}

test("every curl example of the replaced system's README succeeds verbatim, with a response the OpenAPI document describes", async () => {
  const { document } = await restClient(system.gatewayUrl);
  const check = openApiValidator(document);
  const outcomes = [];
  for (const command of seedCurlExamples) {
    const { status, body } = await runCurl(command);
    const method = /-X (\w+)/.exec(command)?.[1] ?? 'GET';
    const path = /http:\/\/localhost(\S+)/.exec(command)![1];
    check(method, path, status, body);
    outcomes.push(`${method} ${path} ${status}`);
  }
  const { waitForStatus, stockOf } = fixtures(system);

  expect({ outcomes, order: await waitForStatus('1'), stock: await stockOf('1') }).toEqual({
    outcomes: [
      'GET /api/inventory/products 200',
      'POST /api/inventory/products 201',
      'POST /api/inventory/products/1/stock 201',
      'GET /api/orders/orders 200',
      'POST /api/orders/orders 201',
      'GET /api/orders/orders/stats 200',
      'GET /api/monitor/dashboard 200',
      'GET /api/monitor/services/health 200',
      'GET /api/monitor/alerts 200',
    ],
    order: 'CONFIRMED',
    stock: 50 - 5 - 2,
  });
});

test("npm run seed's data goes in through the REST API, and inventory decides each order", async () => {
  const api = await restClient(system.gatewayUrl);
  const before = (await api.get('/api/orders/orders')).body.total;
  const { products, orders } = await seedSampleData(`${system.gatewayUrl}/api`);
  expect(products.map((product) => product.name)).toEqual([
    'Laptop Pro 14',
    'Wireless Mouse',
    'USB-C Hub',
    'Mechanical Keyboard',
    '27" Monitor',
  ]);
  expect(orders.map((order) => [order.order_type, order.status])).toEqual([
    ['SELL', 'PENDING'],
    ['SELL', 'PENDING'],
    ['BUY', 'PENDING'],
    ['SELL', 'PENDING'],
    ['SELL', 'PENDING'],
  ]);
  const decided = await waitFor(
    async () => {
      const statuses = await Promise.all(
        orders.map(async (order) => (await api.get(`/api/orders/orders/${order.id}`)).body.status),
      );
      return statuses.every((status) => status !== 'PENDING') && statuses;
    },
    30_000,
    'the seeded orders to be processed',
  );
  expect(decided).toEqual(['CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'REJECTED']);
  expect((await api.get('/api/orders/orders')).body.total).toBe(before + 5);
});

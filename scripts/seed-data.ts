import { mintToken } from '@io/auth/mint';
import { ConfigError, loadConfig } from '@io/config';

/**
 * `npm run seed`: sample products and buy/sell orders, created through the REST API of a running
 * gateway (GATEWAY_PORT) exactly as an integration of the replaced system would (its seed-data.sh).
 * With AUTH_JWT_SECRET set it sends an operator's token signed with it; in development mode none.
 */

const products = [
  {
    name: 'Laptop Pro 14',
    description: 'Portátil de 14 pulgadas',
    price: 1299.99,
    stock_quantity: 25,
    min_stock_level: 5,
  },
  { name: 'Wireless Mouse', description: 'Ratón inalámbrico', price: 24.5, stock_quantity: 150, min_stock_level: 20 },
  { name: 'USB-C Hub', description: 'Hub de 7 puertos', price: 39.9, stock_quantity: 8, min_stock_level: 10 },
  { name: 'Mechanical Keyboard', description: 'Teclado mecánico', price: 89, stock_quantity: 40, min_stock_level: 10 },
  { name: '27" Monitor', description: 'Monitor 4K', price: 329.99, stock_quantity: 3, min_stock_level: 5 },
];

type Product = { id: string; name: string; price: string };
type Order = { id: string; order_type: string; status: string; total_amount: string };

async function post<T>(baseUrl: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer as T;
}

const customer = (name: string) => ({
  customer_name: name,
  customer_email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
});

/** Creates the sample data under `baseUrl` (…/api) and returns what it created. */
export async function seedSampleData(baseUrl: string, log: (line: string) => void = () => undefined, token?: string) {
  const created: Product[] = [];
  for (const product of products) {
    created.push(await post<Product>(baseUrl, '/inventory/products', product, token));
    log(`product ${created.at(-1)!.id}: ${product.name} (${product.stock_quantity} in stock)`);
  }
  const [laptop, mouse, hub, keyboard, monitor] = created;
  const line = (product: Product, quantity: number) => ({
    product_id: Number(product.id),
    product_name: product.name,
    quantity,
    unit_price: Number(product.price),
  });
  const orders = [
    { order_type: 'sell', ...customer('Ana García'), items: [line(laptop, 2), line(mouse, 2)] },
    { order_type: 'sell', ...customer('Luis Martínez'), items: [line(keyboard, 1), line(hub, 1)] },
    { order_type: 'buy', ...customer('Proveedor Central'), items: [line(hub, 20), line(monitor, 10)] },
    { order_type: 'sell', ...customer('María López'), items: [line(monitor, 2)] },
    // More than there is: inventory rejects it, and monitor raises an alert.
    { order_type: 'sell', ...customer('Carlos Ruiz'), items: [line(laptop, 500)] },
  ];
  const placed: Order[] = [];
  for (const order of orders) {
    placed.push(await post<Order>(baseUrl, '/orders/orders', order, token));
    log(
      `order ${placed.at(-1)!.id}: ${order.order_type} by ${order.customer_name}, ${placed.at(-1)!.total_amount} (${placed.at(-1)!.status})`,
    );
  }
  return { products: created, orders: placed };
}

if (require.main === module) {
  try {
    const config = loadConfig();
    const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
    const baseUrl = `http://${host}:${config.GATEWAY_PORT}/api`;
    const token = config.AUTH_JWT_SECRET
      ? mintToken({
          secret: config.AUTH_JWT_SECRET,
          role: 'operator',
          subject: 'seed',
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          scopeClaim: config.AUTH_SCOPE_CLAIM,
        })
      : Promise.resolve(undefined);
    token
      .then((bearer) => seedSampleData(baseUrl, (line) => console.log(`[seed] ${line}`), bearer))
      .then(
        ({ products: created, orders }) =>
          console.log(
            `[seed] ${created.length} products and ${orders.length} orders created through ${baseUrl}; orders are confirmed or rejected in a moment`,
          ),
        (error: Error) => {
          console.error(
            `[seed] ${error.message}${error.cause ? ` (${String(error.cause)}); is the system running (npm start)?` : ''}`,
          );
          process.exit(1);
        },
      );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[seed] ${error.message}`);
    process.exit(1);
  }
}

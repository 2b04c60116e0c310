import { scrape } from './support/prometheus';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

const metricsToken = 'metrics-token-for-the-health-test';
let system: TestSystem;
let urls: Record<string, string>;

beforeAll(async () => {
  system = await startTestSystem({ METRICS_TOKEN: metricsToken });
  urls = {
    gateway: system.gatewayUrl,
    inventory: system.services.inventory.url,
    orders: system.services.orders.url,
    monitor: system.services.monitor.url,
  };
});

afterAll(async () => {
  await system?.close();
});

const probe = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

test('every process is live and ready when its database, Kafka (and for the gateway its subgraphs) answer', async () => {
  for (const [service, url] of Object.entries(urls)) {
    expect(await probe(`${url}/health/live`)).toEqual({ status: 200, body: { status: 'live', service } });
    const ready = await probe(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    const expected =
      service === 'gateway'
        ? { inventory: 'ok', orders: 'ok', monitor: 'ok', kafka: 'ok' }
        : { database: 'ok', kafka: 'ok' };
    expect(ready.body.checks).toEqual(expected);
  }
});

test('the gateway is not ready while a subgraph is down, still live, and ready again once it is back', async () => {
  await system.stop('inventory');
  try {
    const notReady = await probe(`${urls.gateway}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(notReady.body.status).toBe('not ready');
    expect(notReady.body.checks.inventory).toMatch(/^failed: /);
    expect(notReady.body.checks.orders).toBe('ok');
    expect(notReady.body.checks.kafka).toBe('ok');
    expect((await probe(`${urls.gateway}/health/live`)).status).toBe(200);
    // /health keeps its own answer.
    expect((await fetch(`${urls.gateway}/health`)).status).toBe(503);
  } finally {
    await system.start('inventory');
  }
  await waitFor(async () => (await probe(`${urls.gateway}/health/ready`)).status === 200, 30_000, 'gateway ready');
});

test('with METRICS_TOKEN set, /metrics answers only that bearer token, on every process; health stays open', async () => {
  for (const url of Object.values(urls)) {
    const anonymous = await fetch(`${url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await scrape(url, metricsToken)).has('process_resident_memory_bytes')).toBe(true);
  }
});

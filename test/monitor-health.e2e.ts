import { healthOrder } from '@io/registry';
import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/** The production interval: the 15-second promise is about it. */
const intervalMs = 5000;
let system: TestSystem;
let f: ReturnType<typeof fixtures>;

beforeAll(async () => {
  system = await startTestSystem({ HEALTH_CHECK_INTERVAL_MS: String(intervalMs) });
  f = fixtures(system);
});

afterAll(async () => {
  await system?.close();
});

interface Health {
  service: string;
  status: string;
  responseTimeMs: number | null;
  error: string | null;
  checkedAt: string;
  availability: number | null;
}
const healthFields = 'service status responseTimeMs error checkedAt availability(windowMinutes: 60)';
const services = [...healthOrder, 'kafka', 'postgres'];

async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
  const { data, errors } = await system.graphql<T>(text, variables);
  if (errors) throw new Error(JSON.stringify(errors));
  return data!;
}

const serviceHealth = async (service: string) =>
  (
    await query<{ serviceHealth: Health | null }>(
      `query ($s: String!) { serviceHealth(service: $s) { ${healthFields} } }`,
      { s: service },
    )
  ).serviceHealth;

const serviceDownAlerts = async (source: string) =>
  (
    await query<{
      alerts: { source: string; state: string; severity: string; message: string; resolvedAt: string | null }[];
    }>(`{ alerts(filter: { alertType: SERVICE_DOWN }) { source state severity message resolvedAt } }`)
  ).alerts.filter((alert) => alert.source === source);

/** The latest probe of each service and its availability over the last hour, computed from the rows. */
async function healthFromPostgres(): Promise<Health[]> {
  const rows = await f.sql<Record<string, any>>(`
    SELECT DISTINCT ON (service) service, status, response_time_ms, error, checked_at,
      (SELECT count(*) FILTER (WHERE status = 'HEALTHY')::float / count(*) FROM monitor.health_checks w
        WHERE w.service = h.service AND w.checked_at >= now() - interval '60 minutes') AS availability
    FROM monitor.health_checks h ORDER BY service, checked_at DESC, id DESC`);
  const byService = new Map(
    rows.map((row) => [
      row.service,
      {
        service: row.service,
        status: row.status,
        responseTimeMs: row.response_time_ms,
        error: row.error,
        checkedAt: row.checked_at.toISOString(),
        availability: row.availability,
      },
    ]),
  );
  return services.filter((service) => byService.has(service)).map((service) => byService.get(service)!);
}

test('every service, Kafka and PostgreSQL are probed and reported as PostgreSQL holds their latest probe and availability', async () => {
  await waitFor(
    async () => {
      const { servicesHealth } = await query<{ servicesHealth: Health[] }>(`{ servicesHealth { service status } }`);
      return servicesHealth.length === services.length && servicesHealth.every((health) => health.status === 'HEALTHY');
    },
    30_000,
    'every service HEALTHY',
  );

  // Probes land every interval: read both sides until a pair was taken between two rounds.
  let pair: [Health[], Health[]] = [[], [null as never]];
  for (let attempt = 0; attempt < 20 && JSON.stringify(pair[0]) !== JSON.stringify(pair[1]); attempt += 1) {
    pair = [
      (await query<{ servicesHealth: Health[] }>(`{ servicesHealth { ${healthFields} } }`)).servicesHealth,
      await healthFromPostgres(),
    ];
  }
  expect(pair[0]).toEqual(pair[1]);
  expect(pair[0].map((health) => health.service)).toEqual(services);
  for (const health of pair[0]) {
    expect(health).toEqual({
      service: health.service,
      status: 'HEALTHY',
      responseTimeMs: expect.any(Number),
      error: null,
      checkedAt: expect.any(String),
      availability: expect.any(Number),
    });
  }
}, 60_000);

test('a killed service shows DOWN within 15 s and raises SERVICE_DOWN; after a restart it is HEALTHY and the alert resolved', async () => {
  await waitFor(async () => (await serviceHealth('orders'))?.status === 'HEALTHY', 30_000, 'orders HEALTHY');
  const killedAt = Date.now();
  await system.stop('orders');

  const down = await waitFor(
    async () => {
      const health = await serviceHealth('orders');
      return health?.status === 'DOWN' && health;
    },
    15_000,
    'orders DOWN',
  );
  expect(Date.now() - killedAt).toBeLessThan(15_000);
  expect(down).toEqual({
    service: 'orders',
    status: 'DOWN',
    responseTimeMs: null,
    error: 'ECONNREFUSED',
    checkedAt: expect.any(String),
    availability: expect.any(Number),
  });
  expect(down.availability).toBeLessThan(1);
  // The gateway answers its /health with 503 while a subgraph is down: it is UNHEALTHY, not DOWN.
  expect(await serviceHealth('gateway')).toMatchObject({
    status: 'UNHEALTHY',
    error: expect.stringMatching(/^HTTP 503: /),
  });

  const [alert] = await waitFor(
    async () => {
      const alerts = await serviceDownAlerts('orders');
      return alerts.length > 0 && alerts;
    },
    15_000 - (Date.now() - killedAt),
    'a SERVICE_DOWN alert for orders',
  );
  expect(alert).toEqual({
    source: 'orders',
    state: 'OPEN',
    severity: 'CRITICAL',
    message: 'orders is down: ECONNREFUSED',
    resolvedAt: null,
  });

  await system.start('orders');
  await waitFor(async () => (await serviceHealth('orders'))?.status === 'HEALTHY', 15_000, 'orders HEALTHY again');
  const after = await waitFor(
    async () => {
      const alerts = await serviceDownAlerts('orders');
      return alerts.every((found) => found.state === 'RESOLVED') && alerts;
    },
    15_000,
    'the SERVICE_DOWN alert resolved',
  );
  expect(after).toEqual([{ ...alert, state: 'RESOLVED', resolvedAt: expect.any(String) }]);
  await waitFor(
    async () => (await serviceDownAlerts('gateway')).every((found) => found.state === 'RESOLVED'),
    15_000,
    'the gateway alert resolved',
  );
}, 90_000);

test('the probe history of a service is newest first, bounded by since and limit, as PostgreSQL holds it; an unknown service has none', async () => {
  const history = async (variables: Record<string, unknown>) =>
    (
      await query<{ serviceHealthHistory: Omit<Health, 'availability'>[] }>(
        `query ($service: String!, $since: DateTime, $limit: Int) { serviceHealthHistory(service: $service, since: $since, limit: $limit) { service status responseTimeMs error checkedAt } }`,
        variables,
      )
    ).serviceHealthHistory;
  const rows = async (since: string, limit: number) =>
    (
      await f.sql<Record<string, any>>(
        `SELECT * FROM monitor.health_checks WHERE service = 'kafka' AND checked_at >= $1 ORDER BY checked_at DESC, id DESC LIMIT $2`,
        [since, limit],
      )
    ).map((row) => ({
      service: row.service,
      status: row.status,
      responseTimeMs: row.response_time_ms,
      error: row.error,
      checkedAt: row.checked_at.toISOString(),
    }));
  const all = await waitFor(
    async () => {
      const found = await rows(new Date(0).toISOString(), 1000);
      return found.length >= 3 && found;
    },
    4 * intervalMs,
    'three probes of Kafka',
  );

  for (const [since, limit] of [
    [all.at(-1)!.checkedAt, 1000],
    [all[1].checkedAt, 1000],
    [all.at(-1)!.checkedAt, 2],
  ] as const) {
    // A probe may land between the two reads: read again until both saw the same rows.
    let pair = [await history({ service: 'kafka', since, limit }), await rows(since, limit)];
    for (let attempt = 0; attempt < 20 && JSON.stringify(pair[0]) !== JSON.stringify(pair[1]); attempt += 1) {
      pair = [await history({ service: 'kafka', since, limit }), await rows(since, limit)];
    }
    expect(pair[0]).toEqual(pair[1]);
    expect(pair[0].every((probe) => probe.checkedAt >= since)).toBe(true);
    if (limit === 2) expect(pair[0]).toHaveLength(2);
  }

  expect(await serviceHealth('teapot')).toBeNull();
  expect(await history({ service: 'teapot' })).toEqual([]);
}, 30_000);

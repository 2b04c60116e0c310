import { healthOrder, services, subgraphNames } from '@io/registry';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
}, 120_000);

afterAll(async () => {
  await system?.close();
});

test('the test system starts every registered subgraph, each answering its health path', async () => {
  expect(Object.keys(system.services).sort()).toEqual([...subgraphNames].sort());
  for (const entry of services) {
    const base = entry.kind === 'subgraph' ? system.services[entry.name].url : system.gatewayUrl;
    const response = await fetch(`${base}${entry.healthPath}`);
    expect({ service: entry.name, status: response.status }).toEqual({ service: entry.name, status: 200 });
  }
});

test('the gateway checks every registered subgraph, and the monitor probes every registered service', async () => {
  const gatewayHealth = await (await fetch(`${system.gatewayUrl}/health`)).json();
  expect(gatewayHealth).toEqual({
    status: 'healthy',
    service: 'gateway',
    restarts: 0,
    subgraphs: Object.fromEntries(subgraphNames.map((name) => [name, 'healthy'])),
  });

  const probed = await waitFor(
    async () => {
      const { data } = await system.graphql<{ servicesHealth: { service: string; status: string }[] }>(
        '{ servicesHealth { service status } }',
      );
      const healthy =
        data?.servicesHealth.filter((health) => health.status === 'HEALTHY').map((health) => health.service) ?? [];
      // A round's probes are stored as they finish: wait until Kafka's and PostgreSQL's are in too.
      return [...healthOrder, 'kafka', 'postgres'].every((name) => healthy.includes(name)) && data!.servicesHealth;
    },
    20_000,
    'every registered service probed HEALTHY',
  );
  expect(probed.map((health) => health.service)).toEqual([...healthOrder, 'kafka', 'postgres']);
});

import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { clientPool, subscribe } from './support/ws-client';

let system: TestSystem;
const clients = clientPool(() => system.gatewayUrl);

beforeAll(async () => {
  system = await startTestSystem({ MAX_WS_CONNECTIONS: '2', MAX_SUBSCRIPTIONS_PER_SOCKET: '2' });
});

afterAll(async () => {
  await clients.disposeAll();
  await system?.close();
});

const query = `subscription { orderStatusChanged { to } }`;

test('a socket may hold only so many subscriptions; the next one is refused with an error', async () => {
  const client = clients.open();
  subscribe(client, query);
  subscribe(client, query);
  await waitFor(() => system.gateway.subscriptionStats().activeSubscriptions === 2, 10_000, 'two subscriptions');

  const third = subscribe(client, query);
  await third.completed;

  expect(third.received).toEqual([
    { errors: [expect.objectContaining({ message: 'at most 2 subscriptions per connection' })] },
  ]);
  expect(system.gateway.subscriptionStats().activeSubscriptions).toBe(2);
});

test('connections beyond the limit are closed with 4403 while the others keep working', async () => {
  const closedWith: number[] = [];
  const second = clients.open();
  const third = clients.open({ onClosed: (code) => closedWith.push(code) });
  subscribe(second, query);
  await waitFor(() => system.gateway.subscriptionStats().connections === 2, 10_000, 'two connections');

  const refused = subscribe(third, query);
  await refused.completed;

  expect(closedWith).toContain(4403);
  await waitFor(() => system.gateway.subscriptionStats().connections === 2, 10_000, 'the refused socket to close');
  expect(system.gateway.subscriptionStats()).toMatchObject({ connections: 2, activeSubscriptions: 3 });
});

import { loadConfig } from '@io/config';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { createLogger } from '@io/logger';

/**
 * An idle kafkajs connection arms no timers (see lib/kafka/request-queue-patch.ts): unpatched,
 * kafkajs 2.2.4 re-arms a 1 ms timer forever after its first request, hundreds per second.
 */
test('an idle Kafka connection does not keep waking the process', async () => {
  const admin = createKafka('idle-test', kafkaConnection(loadConfig()), createLogger('idle-test', 'silent')).admin();
  await admin.connect();
  try {
    await admin.listTopics();
    await new Promise((settle) => setTimeout(settle, 100));
    const timers = jest.spyOn(global, 'setTimeout');
    await new Promise((settle) => setTimeout(settle, 500));
    // One call is the test's own wait; unpatched this is several hundred.
    expect(timers.mock.calls.length).toBeLessThan(10);
    timers.mockRestore();
  } finally {
    await admin.disconnect();
  }
});

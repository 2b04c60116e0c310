import { Pool } from 'pg';
import { createLogger } from '@io/logger';
import { ServiceMetrics } from '@io/metrics/metrics';
import { registerOutboxMetrics } from '@io/metrics/outbox-metrics';

test('with the database away the outbox figures are NaN and the rest of the scrape still answers', async () => {
  // Port 1: nothing listens, the connection is refused at once. (prom-client writes NaN as `Nan`, which Prometheus reads.)
  const pool = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/none' });
  const metrics = new ServiceMetrics();
  registerOutboxMetrics(metrics, pool, 'orders', createLogger('outbox-metrics-test', 'silent'));
  metrics.kafkaProduced.inc({ topic: 'order-created' }, 2);
  try {
    const text = await metrics.exposition();
    expect(text).toMatch(/^outbox_unpublished_rows nan$/im);
    expect(text).toMatch(/^outbox_oldest_unpublished_age_seconds nan$/im);
    expect(text).toMatch(/^kafka_messages_produced_total\{topic="order-created"\} 2$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  } finally {
    await pool.end();
  }
});

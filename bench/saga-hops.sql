-- Per-hop latency of the saga over the last 2 minutes, medians in ms, from the outbox and
-- processed-event timestamps (now() = each transaction's start). Run on the system's database:
--   psql -h 127.0.0.1 -U postgres -d <database> -f bench/saga-hops.sql
WITH created AS (
  SELECT payload->'data'->>'orderId' AS order_id, created_at AS t0, published_at AS t1
  FROM orders.outbox_events WHERE topic = 'order-created'),
processed AS (
  SELECT payload->'data'->>'orderId' AS order_id, created_at AS t2, published_at AS t3
  FROM inventory.outbox_events WHERE topic = 'order-processed'),
final AS (
  SELECT payload->'data'->>'orderId' AS order_id, created_at AS t4, published_at AS t5
  FROM orders.outbox_events WHERE topic = 'order-status-changed' AND payload->'data'->>'from' = 'PENDING'),
hops AS (
  SELECT extract(epoch FROM t1 - t0) * 1000 AS relay1, extract(epoch FROM t2 - t1) * 1000 AS kafka_inv,
         extract(epoch FROM t3 - t2) * 1000 AS inv_tx_relay2, extract(epoch FROM t4 - t3) * 1000 AS kafka_orders,
         extract(epoch FROM t5 - t4) * 1000 AS orders_tx_relay3, extract(epoch FROM t5 - t0) * 1000 AS total
  FROM created JOIN processed USING (order_id) JOIN final USING (order_id) WHERE t0 > now() - interval '2 minutes')
SELECT count(*), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY relay1)::numeric, 1) AS relay1,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY kafka_inv)::numeric, 1) AS kafka_inv,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY inv_tx_relay2)::numeric, 1) AS inv_relay2,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY kafka_orders)::numeric, 1) AS kafka_orders,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY orders_tx_relay3)::numeric, 1) AS orders_relay3,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY total)::numeric, 1) AS total_p50,
  round(percentile_cont(0.99) WITHIN GROUP (ORDER BY total)::numeric, 1) AS total_p99
FROM hops;

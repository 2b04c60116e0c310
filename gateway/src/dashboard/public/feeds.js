import { $, badge, fill, format, h, label, time, tone } from './dom.js';
import { liveClient, resumableSubscription } from './live.js';

const FEED_LENGTH = 50;

function prepend(list, item) {
  list.querySelector('.empty')?.remove();
  list.prepend(item);
  while (list.children.length > FEED_LENGTH) list.lastElementChild.remove();
}

const feeds = [
  {
    list: '#feed-alerts',
    field: 'alertRaised',
    query: `subscription LiveAlerts($after: ID) {
      alertRaised(after: $after) { eventId occurredAt repeated count alert { id alertType severity message } }
    }`,
    // A repeat is an open alert counting more sightings: it replaces the alert's earlier item,
    // saying so with its count, so a burst of rejections or a long outage stays one line.
    key: ({ alert }) => alert.id,
    item: ({ occurredAt, repeated, count, alert }) => h('li', { class: `alert ${tone[alert.severity]}`, 'data-alert-id': alert.id },
      h('p', { class: 'alert-head' }, time(occurredAt), ' ', badge(label(alert.severity), tone[alert.severity]), ' ', h('strong', {}, label(alert.alertType)),
        repeated ? [' ', h('span', { class: 'count', title: 'seen again' }, `×${format.integer(count)}`)] : null),
      h('p', { class: 'message' }, alert.message)),
  },
  {
    list: '#feed-orders',
    field: 'orderStatusChanged',
    query: `subscription LiveOrders($after: ID) {
      orderStatusChanged(after: $after) { eventId orderId from to reason changedAt order { orderType customerName totalAmount } }
    }`,
    item: ({ orderId, from, to, reason, changedAt, order }) => h('li', { 'data-order-id': orderId },
      h('p', {}, time(changedAt), ' ', h('strong', {}, `Order #${orderId}`), order ? ` ${label(order.orderType)}` : null, ' ',
        from ? [badge(label(from), tone[from]), ' → '] : null, badge(label(to), tone[to])),
      order || reason ? h('p', { class: 'muted' }, order ? `${order.customerName} · ${format.money(order.totalAmount)}` : null,
        order && reason ? ' · ' : null, reason) : null),
  },
  {
    list: '#feed-stock',
    field: 'stockChanged',
    query: `subscription LiveStock($after: ID) {
      stockChanged(after: $after) { eventId productId quantityChange stockQuantity movementType occurredAt product { name minStockLevel } }
    }`,
    item: ({ productId, quantityChange, stockQuantity, movementType, occurredAt, product }) => h('li', { 'data-product-id': productId },
      h('p', {}, time(occurredAt), ' ', h('strong', {}, product?.name ?? `Product #${productId}`), ' ',
        h('span', { class: quantityChange < 0 ? 'bad-text' : 'ok-text' }, format.signed(quantityChange)), ` → ${format.integer(stockQuantity)}`,
        product && stockQuantity <= product.minStockLevel ? [' ', badge('Low', 'warn')] : null),
      h('p', { class: 'muted' }, label(movementType))),
  },
];

/** Subscribes every feed; `onEvent` is told of each event shown (and of each gap). */
export function startFeeds(onEvent) {
  const connection = $('#connection');
  const texts = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };
  const client = liveClient(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`, (state) => {
    connection.dataset.state = state;
    connection.textContent = texts[state];
  });
  for (const feed of feeds) {
    const list = $(feed.list);
    fill(list, [], 'Waiting for events…');
    resumableSubscription(client, {
      query: feed.query,
      field: feed.field,
      onEvent: (event) => {
        const item = feed.item(event);
        item.dataset.eventId = event.eventId;
        if (feed.key) {
          item.dataset.key = feed.key(event);
          for (const earlier of list.querySelectorAll('li[data-key]')) if (earlier.dataset.key === item.dataset.key) earlier.remove();
        }
        prepend(list, item);
        onEvent();
      },
      onGap: () => {
        prepend(list, h('li', { class: 'gap' }, 'Reconnected too late to replay everything: some events may be missing here.'));
        onEvent();
      },
    });
  }
}

import { $, badge, fill, format, h, time } from './dom.js';
import { liveClient, resumableSubscription } from './live.js';

const REFRESH_EVERY_MS = 5000;
const FEED_LENGTH = 50;

// The dashboard query in three parts, one per subgraph that contributes to it: when orders or
// inventory is down, its panel says so and the others (service health above all) still show.
const parts = {
  monitor: `query DashboardMonitor {
    dashboard {
      generatedAt openAlertCount
      services { service status responseTimeMs availability error }
      kafka { totalMessages deadLetters topics { topic messages throughputPerSecond } consumerGroups { groupId state lag } }
      openAlerts(limit: 20) { id alertType severity state message raisedAt }
    }
  }`,
  orders: `query DashboardOrders {
    dashboard {
      orderStats {
        totalOrders confirmedSellRevenue averageOrderValue
        byStatus { status count }
        topProducts(limit: 5) { product { id name } quantity revenue }
      }
    }
  }`,
  inventory: `query DashboardInventory {
    dashboard { productCount lowStockProducts { id name stockQuantity minStockLevel } }
  }`,
};
const panelsOf = { monitor: ['#services', '#alerts', '#kafka'], orders: ['#orders'], inventory: ['#low-stock'] };

async function query(text) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: text }),
  });
  const result = await response.json().catch(() => ({}));
  if (!result.data?.dashboard) throw new Error(result.errors?.map((error) => error.message).join('; ') || `HTTP ${response.status}`);
  return result.data.dashboard;
}

const tone = {
  HEALTHY: 'ok', UNHEALTHY: 'warn', DOWN: 'bad',
  INFO: 'info', WARNING: 'warn', CRITICAL: 'bad',
  PENDING: 'info', CONFIRMED: 'ok', SHIPPED: 'ok', COMPLETED: 'ok', REJECTED: 'bad', CANCELLED: 'muted',
};
const label = (word) => word.charAt(0) + word.slice(1).toLowerCase().replaceAll('_', ' ');

const render = {
  monitor(dashboard) {
    fill($('#services tbody'), dashboard.services.map((service) => h('tr', {},
      h('th', { scope: 'row' }, service.service),
      h('td', { title: service.error }, badge(label(service.status), tone[service.status])),
      h('td', { class: 'num' }, format.ms(service.responseTimeMs)),
      h('td', { class: 'num' }, format.percent(service.availability)))), 'No probe yet');
    fill($('#alerts .alerts'), dashboard.openAlerts.map((alert) => h('li', { class: `alert ${tone[alert.severity]}` },
      h('p', { class: 'alert-head' }, badge(label(alert.severity), tone[alert.severity]), ' ', h('strong', {}, label(alert.alertType)),
        alert.state === 'ACKNOWLEDGED' ? h('span', { class: 'muted' }, ' · acknowledged') : null, ' ', time(alert.raisedAt)),
      h('p', { class: 'message' }, alert.message))), 'No open alerts');
    $('#alerts-title').replaceChildren('Open alerts ', h('span', { class: 'count' }, format.integer(dashboard.openAlertCount)));
    const { kafka } = dashboard;
    fill($('#kafka-topics tbody'), kafka.topics.map((topic) => h('tr', {},
      h('th', { scope: 'row' }, topic.topic),
      h('td', { class: 'num' }, format.integer(topic.messages)),
      h('td', { class: 'num' }, format.decimal(topic.throughputPerSecond)))), 'No topics');
    fill($('#kafka-groups tbody'), kafka.consumerGroups.map((group) => h('tr', {},
      h('th', { scope: 'row' }, group.groupId),
      h('td', {}, group.state),
      h('td', { class: `num${group.lag > 0 ? ' warn-text' : ''}` }, format.integer(group.lag)))), 'No consumer groups');
    $('#generated-at').replaceWith(Object.assign(time(dashboard.generatedAt), { id: 'generated-at' }));
    const healthy = dashboard.services.filter((service) => service.status === 'HEALTHY').length;
    const total = dashboard.services.length;
    summary.set('services', `${healthy} / ${total}`, healthy === total ? 'ok' : 'bad', 'healthy');
    summary.set('alerts', format.integer(dashboard.openAlertCount), dashboard.openAlertCount > 0 ? 'warn' : 'ok');
    summary.set('messages', format.integer(kafka.totalMessages));
    summary.set('dead-letters', format.integer(kafka.deadLetters), kafka.deadLetters > 0 ? 'bad' : 'ok');
  },
  orders({ orderStats: stats }) {
    const widest = Math.max(1, ...stats.byStatus.map((entry) => entry.count));
    fill($('#orders .bars'), stats.byStatus.map((entry) => h('li', {},
      h('span', { class: 'bar-label' }, label(entry.status)),
      bar(entry.count / widest, tone[entry.status]),
      h('span', { class: 'num' }, format.integer(entry.count)))), 'No orders yet');
    fill($('#orders tbody'), stats.topProducts.map((sales) => h('tr', {},
      h('th', { scope: 'row' }, sales.product.name ?? `#${sales.product.id}`),
      h('td', { class: 'num' }, format.integer(sales.quantity)),
      h('td', { class: 'num' }, format.money(sales.revenue)))), 'No confirmed sales yet');
    summary.set('orders', format.integer(stats.totalOrders));
    summary.set('revenue', format.money(stats.confirmedSellRevenue), undefined, `average ${format.money(stats.averageOrderValue)}`);
  },
  inventory(dashboard) {
    fill($('#low-stock tbody'), dashboard.lowStockProducts.map((product) => h('tr', {},
      h('th', { scope: 'row' }, product.name),
      h('td', { class: `num ${product.stockQuantity === 0 ? 'bad-text' : 'warn-text'}` }, format.integer(product.stockQuantity)),
      h('td', { class: 'num' }, format.integer(product.minStockLevel)))), 'Every product is above its minimum');
    summary.set('products', format.integer(dashboard.productCount));
    summary.set('low-stock', format.integer(dashboard.lowStockProducts.length), dashboard.lowStockProducts.length > 0 ? 'warn' : 'ok');
  },
};

function bar(share, barTone) {
  const filled = h('span', { class: `fill ${barTone}` });
  filled.style.width = `${Math.round(share * 100)}%`;
  return h('span', { class: 'bar', 'aria-hidden': true }, filled);
}

const summary = {
  cards: [
    ['services', 'Services'], ['alerts', 'Open alerts'], ['orders', 'Orders'], ['revenue', 'Confirmed sales'],
    ['products', 'Products'], ['low-stock', 'Low stock'], ['messages', 'Kafka messages'], ['dead-letters', 'Dead letters'],
  ],
  init() {
    $('#summary').replaceChildren(...this.cards.map(([key, title]) =>
      h('div', { class: 'card', id: `card-${key}` }, h('dt', {}, title), h('dd', {}, '—'))));
  },
  set(key, value, cardTone, note) {
    const card = $(`#card-${key}`);
    card.dataset.tone = cardTone ?? '';
    card.querySelector('dd').replaceChildren(value, ...(note ? [h('small', {}, note)] : []));
  },
};

const requested = { monitor: 0, orders: 0, inventory: 0 };

async function refresh() {
  const problems = [];
  await Promise.all(Object.entries(parts).map(async ([part, text]) => {
    const mine = ++requested[part];
    try {
      const dashboard = await query(text);
      if (mine !== requested[part]) return; // a newer answer is on its way or already shown
      render[part](dashboard);
      for (const panel of panelsOf[part]) setPanelProblem(panel);
    } catch (error) {
      if (mine !== requested[part]) return;
      problems.push(`${part}: ${error.message}`);
      for (const panel of panelsOf[part]) setPanelProblem(panel, error.message);
    }
  }));
  const banner = $('#problem');
  banner.hidden = problems.length === 0;
  banner.textContent = problems.length ? `Some figures could not be refreshed (the last ones stay, dimmed). ${problems.join(' · ')}` : '';
}

function setPanelProblem(selector, message) {
  const panel = $(selector);
  panel.setAttribute('aria-busy', 'false');
  panel.classList.toggle('stale', Boolean(message));
  if (message) panel.title = message;
  else panel.removeAttribute('title');
}

let scheduled;
/** Live events change the figures: refresh soon, once for a burst of events. */
function refreshSoon() {
  clearTimeout(scheduled);
  scheduled = setTimeout(refresh, 300);
}

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
      alertRaised(after: $after) { eventId occurredAt alert { id alertType severity message } }
    }`,
    item: ({ occurredAt, alert }) => h('li', { class: `alert ${tone[alert.severity]}` },
      h('p', { class: 'alert-head' }, time(occurredAt), ' ', badge(label(alert.severity), tone[alert.severity]), ' ', h('strong', {}, label(alert.alertType))),
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

function startFeeds() {
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
        prepend(list, item);
        refreshSoon();
      },
      onGap: () => {
        prepend(list, h('li', { class: 'gap' }, 'Reconnected too late to replay everything: some events may be missing here.'));
        refreshSoon();
      },
    });
  }
}

summary.init();
startFeeds();
refresh();
setInterval(refresh, REFRESH_EVERY_MS);
